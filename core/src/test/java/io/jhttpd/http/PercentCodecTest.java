package io.jhttpd.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Percent-decoding (RFC 3986 §2.1): ASCII and UTF-8 results, and every malformed input a 400. */
class PercentCodecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "plain|plain",
            "a%20b|a b",
            "%41%62%63|Abc",
            "100%25|100%",
            "a%2Fb|a/b",
            "%7e%7E|~~",
            "caf%C3%A9|café",
            "%E2%82%AC|€",
            "%F0%9F%98%80|😀",
            "a+b|a+b"})
    void decodesPathSegments(String raw, String decoded) {
        assertThat(PercentCodec.decodePath(raw)).isEqualTo(decoded);
    }

    @Test
    void aPlusIsASpaceInAQueryOnly() {
        assertThat(PercentCodec.decodeQuery("a+b%2Bc")).isEqualTo("a b+c");
        assertThat(PercentCodec.decodePath("a+b%2Bc")).isEqualTo("a+b+c");
    }

    @Test
    void anEscapedNulIsDecoded() {
        assertThat(PercentCodec.decodeQuery("a%00b")).isEqualTo("a\u0000b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "a%", "a%2", "%zz", "%g0", "%%41", "%é0"})
    void malformedEscapesAre400(String raw) {
        assertThatThrownBy(() -> PercentCodec.decodeQuery(raw)).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.status().code()).isEqualTo(400);
            assertThat(e.publicMessage()).isEqualTo("Malformed percent-encoding");
        });
    }

    /** Overlong forms, encoded surrogates, stray continuation bytes, truncated sequences, bytes past U+10FFFF. */
    @ParameterizedTest
    @ValueSource(strings = {"%C0%AF", "%E0%80%AF", "%ED%A0%80", "%80", "%C3", "a%E2%82", "%F4%90%80%80", "%FF"})
    void bytesThatAreNotUtf8Are400(String raw) {
        assertThatThrownBy(() -> PercentCodec.decodePath(raw)).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.status().code()).isEqualTo(400);
            assertThat(e.publicMessage()).isEqualTo("Percent-encoded bytes are not valid UTF-8");
        });
    }
}
