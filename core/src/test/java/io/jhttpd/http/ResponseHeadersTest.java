package io.jhttpd.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No value a handler takes from a request can split a response (RFC 9112 §11.1): {@link ResponseHeaders}
 * refuses every byte that could end a field line or start a new one, before anything is written.
 */
class ResponseHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "a\r\nSet-Cookie: owned=1",     // CRLF
            "a\nSet-Cookie: owned=1",       // LF alone
            "a\rSet-Cookie: owned=1",       // CR alone
            "a\u0000b",                      // NUL
            "a\u000bb",                      // vertical tab
            "a\u000cb",                      // form feed
            "a\u007fb",                      // DEL
            "a\u010d\u010aSet-Cookie: x",    // U+010D U+010A: low bytes are CR LF if truncated to Latin-1
            "a\u560d\u560aSet-Cookie: x",    // the same trick with CJK code points
            "a\u2028b",                      // line separator
            "\ud83d\ude00"})                 // beyond Latin-1 altogether
    void refusesAValueThatCouldSplitTheResponse(String value) {
        ResponseHeaders headers = new ResponseHeaders();
        assertThatThrownBy(() -> headers.add("X-Echo", value)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set("X-Echo", value)).isInstanceOf(IllegalArgumentException.class);
        assertThat(headers.size()).isZero();
    }

    @Test
    void removeTakesEveryLineOfANameWhereverItIsAndKeepsTheOrderOfTheRest() {
        ResponseHeaders headers = new ResponseHeaders()
                .add("Vary", "a").add("X-One", "1").add("vary", "b").add("X-Two", "2").add("VARY", "c");
        headers.remove("Vary");
        assertThat(lines(headers)).containsExactly("X-One: 1", "X-Two: 2");
        headers.remove("Absent");
        assertThat(lines(headers)).containsExactly("X-One: 1", "X-Two: 2");
        headers.set("X-One", "one").set("X-Three", "3");
        assertThat(lines(headers)).containsExactly("X-Two: 2", "X-One: one", "X-Three: 3");
    }

    private static java.util.List<String> lines(ResponseHeaders headers) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            lines.add(headers.name(i) + ": " + headers.value(i));
        }
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Echo", "X-Echo:", "X-Echo\r\nSet-Cookie", "X\u00e9", "(X)", "X\tY"})
    void refusesANameThatIsNotAToken(String name) {
        assertThatThrownBy(() -> new ResponseHeaders().add(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "transfer-encoding", "CONNECTION", "Date"})
    void refusesTheFramingFieldsTheServerWrites(String name) {
        assertThatThrownBy(() -> new ResponseHeaders().add(name, "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTabsSpacesAndObsTextWhichCannotSplitALine() {
        ResponseHeaders headers = new ResponseHeaders().add("X-Echo", "a\tb c\u00e9\u00ff");
        assertThat(headers.value(0)).isEqualTo("a\tb c\u00e9\u00ff");
    }
}
