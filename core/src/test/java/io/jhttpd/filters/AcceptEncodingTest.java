package io.jhttpd.filters;

import io.jhttpd.http.ResponseHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Accept-Encoding, RFC 9110 §12.5.3, as the qvalue (in thousandths) it gives gzip. */
class AcceptEncodingTest {

    private static int gzip(String... values) {
        ResponseHeaders fields = new ResponseHeaders();
        for (String value : values) {
            fields.add("Accept-Encoding", value);
        }
        return AcceptEncoding.of(fields).gzipQuality();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip                      | 1000",
            "GZIP                      | 1000",
            "x-gzip                    | 1000",
            "gzip, deflate, br         | 1000",
            "br;q=1.0, gzip;q=0.8, *;q=0.1 | 800",
            "gzip;q=0                  | 0",
            "gzip ; Q=0.000            | 0",
            "gzip;q=0.001              | 1",
            "*                         | 1000",
            "*;q=0.5                   | 500",
            "*;q=0                     | 0",
            "gzip;q=0, *               | 0",
            "*;q=0, gzip               | 1000",
            "identity;q=0, gzip        | 1000",
            "identity                  | 0",
            "br                        | 0",
            "deflate;q=1, identity;q=0 | 0",
            "gzip;q=1.5                | 0",
            "gzip;q=abc                | 0",
            "gzip;q=-1                 | 0",
            "gzip;q=0.5;level=9        | 500",
    })
    void weighsGzip(String header, int quality) {
        assertThat(gzip(header)).isEqualTo(quality);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip                       | true",
            "''                         | true",
            "identity;q=0               | false",
            "IDENTITY; q=0.000          | false",
            "gzip, identity;q=0         | false",
            "*;q=0                      | false",
            "gzip, *;q=0                | false",
            "*;q=0, identity            | true",
            "*;q=0, identity;q=0.1      | true",
            "identity;q=0.5             | true",
            "*;q=0.5                    | true",
            "identity;q=0, identity;q=1 | true",
    })
    void identityIsAcceptableUnlessExcluded(String header, boolean acceptable) {
        ResponseHeaders headers = new ResponseHeaders();
        headers.add("Accept-Encoding", header);
        assertThat(AcceptEncoding.of(headers).identityAcceptable()).isEqualTo(acceptable);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gzip                          | true",
            "gzip;q=0.5                    | true",
            "gzip, identity                | true",
            "gzip;q=0.5, identity;q=0.5    | true",
            "gzip;q=0.1, identity;q=1      | false",
            "gzip;q=0.5, identity;q=0.9    | false",
            "gzip;q=0.5, *;q=0.9           | false",
            "*                             | true",
            "identity                      | false",
            "gzip;q=0                      | false",
    })
    void gzipIsPreferredUnlessIdentityWeighsMore(String header, boolean gzip) {
        ResponseHeaders headers = new ResponseHeaders();
        headers.add("Accept-Encoding", header);
        assertThat(AcceptEncoding.of(headers).prefersGzip()).isEqualTo(gzip);
    }

    @Test
    void identityIsAcceptableWithoutTheField() {
        assertThat(AcceptEncoding.of(new ResponseHeaders()).identityAcceptable()).isTrue();
    }

    @Test
    void noFieldOrAnEmptyFieldMeansNoGzip() {
        assertThat(gzip()).isZero();
        assertThat(gzip("")).isZero();
    }

    @Test
    void combinesFieldLines() {
        assertThat(gzip("br", "gzip;q=0.3")).isEqualTo(300);
    }

    @Test
    void parsesQvaluesByTheGrammar() {
        assertThat(AcceptEncoding.qvalue("1")).isEqualTo(1000);
        assertThat(AcceptEncoding.qvalue("1.000")).isEqualTo(1000);
        assertThat(AcceptEncoding.qvalue("0.")).isEqualTo(0);
        assertThat(AcceptEncoding.qvalue("0.25")).isEqualTo(250);
        assertThat(AcceptEncoding.qvalue("0.2500")).as("four decimals").isEqualTo(0);
        assertThat(AcceptEncoding.qvalue("1.001")).isEqualTo(0);
        assertThat(AcceptEncoding.qvalue("2")).isEqualTo(0);
        assertThat(AcceptEncoding.qvalue("01")).isEqualTo(0);
    }
}
