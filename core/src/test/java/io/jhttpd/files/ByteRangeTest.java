package io.jhttpd.files;

import io.jhttpd.http.HttpException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Range parsing, RFC 9110 §14.1.2 and §14.2, against a 100-byte representation. */
class ByteRangeTest {

    private static final long LEN = 100;

    private static void assertUnsatisfiable(String header, long length) {
        assertThatThrownBy(() -> ByteRange.parse(header, length))
                .isInstanceOf(HttpException.class)
                .satisfies(e -> {
                    HttpException h = (HttpException) e;
                    assertThat(h.status().code()).isEqualTo(416);
                    assertThat(h.headers().first("Content-Range")).isEqualTo("bytes */" + length);
                });
    }

    @Test
    void parsesAClosedRange() {
        assertThat(ByteRange.parse("bytes=0-9", LEN)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=0-9", LEN).contentRange(LEN)).isEqualTo("bytes 0-9/100");
        assertThat(ByteRange.parse("bytes=0-9", LEN).length()).isEqualTo(10);
    }

    @Test
    void parsesAnOpenRangeToTheEnd() {
        assertThat(ByteRange.parse("bytes=90-", LEN)).isEqualTo(new ByteRange(90, 99));
    }

    @Test
    void parsesASuffixRange() {
        assertThat(ByteRange.parse("bytes=-10", LEN)).isEqualTo(new ByteRange(90, 99));
    }

    @Test
    void aSuffixLongerThanTheFileMeansTheWholeFile() {
        assertThat(ByteRange.parse("bytes=-500", LEN)).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void clampsLastPosToTheEnd() {
        assertThat(ByteRange.parse("bytes=50-1000", LEN)).isEqualTo(new ByteRange(50, 99));
    }

    @Test
    void theUnitIsCaseInsensitive() {
        assertThat(ByteRange.parse("Bytes=1-2", LEN)).isEqualTo(new ByteRange(1, 2));
    }

    @Test
    void firstPosAtOrPastTheEndIs416() {
        assertUnsatisfiable("bytes=100-", LEN);
        assertUnsatisfiable("bytes=100-200", LEN);
    }

    @Test
    void aZeroSuffixIs416() {
        assertUnsatisfiable("bytes=-0", LEN);
    }

    @Test
    void aFirstPosOfAnEmptyFileIs416() {
        assertUnsatisfiable("bytes=0-", 0);
        assertUnsatisfiable("bytes=0-0", 0);
        assertUnsatisfiable("bytes=-0", 0);
    }

    @Test
    void aSuffixOfAnEmptyFileIsSatisfiableSoTheRangeIsIgnored() {
        // RFC 9110 §14.1.1: the one satisfiable range of an empty representation; no 206 can carry it.
        assertThat(ByteRange.parse("bytes=-5", 0)).isNull();
    }

    @Test
    void hugeNumbersSaturateInsteadOfOverflowing() {
        assertUnsatisfiable("bytes=99999999999999999999999-", LEN);
        assertThat(ByteRange.parse("bytes=5-99999999999999999999999", LEN)).isEqualTo(new ByteRange(5, 99));
        assertThat(ByteRange.parse("bytes=-99999999999999999999999", LEN)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=9223372036854775807-9223372036854775806", LEN)).isNull();
    }

    @Test
    void ignoresMultipleRanges() {
        assertThat(ByteRange.parse("bytes=0-1,5-6", LEN)).isNull();
    }

    @Test
    void ignoresInvalidSyntax() {
        assertThat(ByteRange.parse("bytes=", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=-", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=5", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=a-b", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=+1-5", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=1--5", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=10-5", LEN)).isNull();
        assertThat(ByteRange.parse("bytes=\u0661-5", LEN)).as("Arabic-Indic digit one").isNull();
        assertThat(ByteRange.parse("items=0-5", LEN)).isNull();
        assertThat(ByteRange.parse("bytes 0-5", LEN)).isNull();
    }
}
