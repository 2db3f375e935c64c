package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.http.Method;
import io.jhttpd.http.Version;
import io.jhttpd.testing.TrickleInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jhttpd.testing.Wire.bytes;
import static io.jhttpd.testing.Wire.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Request-head vectors: each valid head parses to the same summary, and each malformed one fails with
 * the same status, whether it arrives whole, split at any byte offset, or trickled at any read size.
 */
class HeadVectorsTest {

    private static final Limits LIMITS = Limits.defaults();

    /** A valid head and what it must parse to. */
    static Stream<Arguments> valid() {
        return Stream.of(
                ok("plain GET", crlf("GET / HTTP/1.1", "Host: a", ""), "GET / null HTTP/1.1 cl=-1 chunked=false"),
                ok("path and query", crlf("GET /a/b?x=1&y=%20 HTTP/1.1", "Host: a", ""),
                        "GET /a/b x=1&y=%20 HTTP/1.1 cl=-1 chunked=false"),
                ok("leading empty lines are ignored (RFC 9112 §2.2)", "\r\n\r\n" + crlf("GET / HTTP/1.1", "Host: a", ""),
                        "GET / null HTTP/1.1 cl=-1 chunked=false"),
                ok("absolute-form (RFC 9112 §3.2.2)", crlf("GET http://example.com:8080/p?q HTTP/1.1", "Host: x", ""),
                        "GET /p q HTTP/1.1 cl=-1 chunked=false"),
                ok("absolute-form without a path", crlf("GET HTTP://example.com HTTP/1.1", "Host: x", ""),
                        "GET / null HTTP/1.1 cl=-1 chunked=false"),
                ok("asterisk-form for OPTIONS (RFC 9112 §3.2.4)", crlf("OPTIONS * HTTP/1.1", "Host: a", ""),
                        "OPTIONS * null HTTP/1.1 cl=-1 chunked=false"),
                ok("HTTP/1.0 needs no Host", crlf("GET / HTTP/1.0", ""), "GET / null HTTP/1.0 cl=-1 chunked=false"),
                ok("HTTP/1.2 is served as 1.1 (RFC 9110 §6.2)", crlf("GET / HTTP/1.2", "Host: a", ""),
                        "GET / null HTTP/1.1 cl=-1 chunked=false"),
                ok("empty Host is legal (RFC 9112 §3.2)", crlf("GET / HTTP/1.1", "Host:", ""),
                        "GET / null HTTP/1.1 cl=-1 chunked=false"),
                ok("IPv6 Host", crlf("GET / HTTP/1.1", "Host: [::1]:8080", ""), "GET / null HTTP/1.1 cl=-1 chunked=false"),
                ok("Content-Length", crlf("POST /d HTTP/1.1", "Host: a", "Content-Length: 42", ""),
                        "POST /d null HTTP/1.1 cl=42 chunked=false"),
                ok("Content-Length with leading zeros is 1*DIGIT", crlf("POST /d HTTP/1.1", "Host: a", "Content-Length: 007", ""),
                        "POST /d null HTTP/1.1 cl=7 chunked=false"),
                ok("identical Content-Length list is one value", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 5, 5", ""),
                        "POST / null HTTP/1.1 cl=5 chunked=false"),
                ok("identical Content-Length lines are one value",
                        crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 5", "Content-Length: 5", ""),
                        "POST / null HTTP/1.1 cl=5 chunked=false"),
                ok("chunked", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", ""),
                        "POST / null HTTP/1.1 cl=-1 chunked=true"),
                ok("coding names are case-insensitive", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: CHUNKED", ""),
                        "POST / null HTTP/1.1 cl=-1 chunked=true"),
                ok("OWS around a value is trimmed, HTAB included",
                        crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding:\t chunked \t", ""),
                        "POST / null HTTP/1.1 cl=-1 chunked=true"),
                ok("a GET may carry a body (RFC 9112 §6)", crlf("GET / HTTP/1.1", "Host: a", "Content-Length: 3", ""),
                        "GET / null HTTP/1.1 cl=3 chunked=false"),
                ok("every character RFC 3986 allows in a path and query",
                        crlf("GET /~a-b._!$&'()*+,;=:@%2F%aF?q=/?:@!$&'()*+,;= HTTP/1.1", "Host: a", ""),
                        "GET /~a-b._!$&'()*+,;=:@%2F%aF q=/?:@!$&'()*+,;= HTTP/1.1 cl=-1 chunked=false"),
                ok("brackets in a path and a query, as browsers and Python's requests send them",
                        crlf("GET /files/report[1].pdf?filter[name]=x HTTP/1.1", "Host: a", ""),
                        "GET /files/report[1].pdf filter[name]=x HTTP/1.1 cl=-1 chunked=false"),
                ok("a pipe and a caret in a path, as Node's fetch sends them (WHATWG URL)",
                        crlf("GET /files/a|b^c.txt HTTP/1.1", "Host: a", ""), "GET /files/a|b^c.txt null HTTP/1.1 cl=-1 chunked=false"),
                ok("what browsers leave unencoded in a query (WHATWG URL)", crlf("GET /a?q={x}|^\\` HTTP/1.1", "Host: a", ""),
                        "GET /a q={x}|^\\` HTTP/1.1 cl=-1 chunked=false"),
                ok("absolute-form with an IP-literal (RFC 3986 §3.2.2)", crlf("GET http://[::1]:8080/p HTTP/1.1", "Host: x", ""),
                        "GET /p null HTTP/1.1 cl=-1 chunked=false"));
    }

    /** A malformed head and the status it must get. */
    static Stream<Arguments> invalid() {
        String longTarget = "/" + "a".repeat(8192);
        return Stream.of(
                bad("lower-case method is another token (RFC 9112 §3.1)", crlf("get / HTTP/1.1", "Host: a", ""), 501),
                bad("unknown method", crlf("BREW / HTTP/1.1", "Host: a", ""), 501),
                bad("method longer than any we know", crlf("PROPPATCHX / HTTP/1.1", "Host: a", ""), 501),
                bad("CONNECT is not implemented", crlf("CONNECT example.com:443 HTTP/1.1", "Host: a", ""), 501),
                bad("two spaces after the method", crlf("GET  / HTTP/1.1", "Host: a", ""), 400),
                bad("tab instead of space", crlf("GET\t/ HTTP/1.1", "Host: a", ""), 400),
                bad("space after the version", crlf("GET / HTTP/1.1 ", "Host: a", ""), 400),
                bad("no version (HTTP/0.9 style)", crlf("GET /", "Host: a", ""), 400),
                bad("lower-case version", crlf("GET / http/1.1", "Host: a", ""), 400),
                bad("version without minor", crlf("GET / HTTP/1", "Host: a", ""), 400),
                bad("two-digit minor", crlf("GET / HTTP/1.10", "Host: a", ""), 400),
                bad("space inside the version", crlf("GET / HTTP/ 1.1", "Host: a", ""), 400),
                bad("HTTP/2.0 is another major version", crlf("GET / HTTP/2.0", "Host: a", ""), 505),
                bad("HTTP/0.9 is another major version", crlf("GET / HTTP/0.9", "Host: a", ""), 505),
                bad("HTTP/2's preface: another major version before an unknown method",
                        crlf("PRI * HTTP/2.0", "", "SM", ""), 505),
                bad("an unknown method in HTTP/3.0", crlf("BREW / HTTP/3.0", "Host: a", ""), 505),
                bad("fragment in the target", crlf("GET /a#b HTTP/1.1", "Host: a", ""), 400),
                bad("DEL in the target", crlf("GET /a\u007f HTTP/1.1", "Host: a", ""), 400),
                bad("raw non-ASCII in the target", crlf("GET /\u00e9 HTTP/1.1", "Host: a", ""), 400),
                bad("target not starting with a slash", crlf("GET a/b HTTP/1.1", "Host: a", ""), 400),
                bad("asterisk-form for GET", crlf("GET * HTTP/1.1", "Host: a", ""), 400),
                bad("absolute-form with another scheme", crlf("GET ftp://x/ HTTP/1.1", "Host: a", ""), 400),
                bad("absolute-form with userinfo", crlf("GET http://u@x/ HTTP/1.1", "Host: a", ""), 400),
                bad("missing Host on 1.1 (RFC 9112 §3.2)", crlf("GET / HTTP/1.1", ""), 400),
                bad("two Host lines", crlf("GET / HTTP/1.1", "Host: a", "Host: b", ""), 400),
                bad("two Host lines on 1.0 too", crlf("GET / HTTP/1.0", "Host: a", "Host: a", ""), 400),
                bad("Host with a slash", crlf("GET / HTTP/1.1", "Host: a/b", ""), 400),
                bad("Host with whitespace", crlf("GET / HTTP/1.1", "Host: a b", ""), 400),
                bad("Host with a bad port", crlf("GET / HTTP/1.1", "Host: a:8x", ""), 400),
                bad("Host with userinfo", crlf("GET / HTTP/1.1", "Host: u@a", ""), 400),
                bad("whitespace before the colon (RFC 9112 §5.1)", crlf("GET / HTTP/1.1", "Host : a", ""), 400),
                bad("obs-fold (RFC 9112 §5.2)", crlf("GET / HTTP/1.1", "Host: a", "X-A: b", " c", ""), 400),
                bad("whitespace line after the request line", crlf("GET / HTTP/1.1", " Host: a", ""), 400),
                bad("field line without a colon", crlf("GET / HTTP/1.1", "Host: a", "NoColon", ""), 400),
                bad("empty field name", crlf("GET / HTTP/1.1", "Host: a", ": x", ""), 400),
                bad("control byte in a field name", crlf("GET / HTTP/1.1", "Host: a", "X\u0001A: b", ""), 400),
                bad("NUL in a value (RFC 9110 §5.5)", crlf("GET / HTTP/1.1", "Host: a", "X-A: b\u0000c", ""), 400),
                bad("vertical tab in a value", crlf("GET / HTTP/1.1", "Host: a", "X-A: \u000bb", ""), 400),
                bad("DEL in a value", crlf("GET / HTTP/1.1", "Host: a", "X-A: b\u007f", ""), 400),
                bad("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", 400),
                bad("bare LF line ending", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
                bad("bare LF at the end of the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
                bad("Content-Length with a plus sign", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: +5", ""), 400),
                bad("negative Content-Length", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: -1", ""), 400),
                bad("hex Content-Length", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 0x10", ""), 400),
                bad("Content-Length with inner space", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 5 5", ""), 400),
                bad("empty Content-Length", crlf("POST / HTTP/1.1", "Host: a", "Content-Length:", ""), 400),
                bad("differing Content-Length list", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 1,2", ""), 400),
                bad("differing Content-Length lines",
                        crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 1", "Content-Length: 2", ""), 400),
                bad("Content-Length beyond a long",
                        crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 99999999999999999999", ""), 400),
                bad("TE with CL (RFC 9112 §6.3 ¶3)", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 5",
                        "Transfer-Encoding: chunked", ""), 400),
                bad("TE on HTTP/1.0 (RFC 9112 §6.1)", crlf("POST / HTTP/1.0", "Transfer-Encoding: chunked", ""), 400),
                bad("chunked twice", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked, chunked", ""), 400),
                bad("chunked on two lines", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked",
                        "Transfer-Encoding: chunked", ""), 400),
                bad("chunked with a parameter", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked;x=1", ""), 400),
                bad("chunked not last (RFC 9112 §6.3 step 4)",
                        crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked, gzip", ""), 400),
                bad("vertical tab before chunked", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: \u000bchunked", ""), 400),
                bad("empty Transfer-Encoding", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding:", ""), 400),
                bad("unknown coding before chunked (RFC 9112 §6.1)",
                        crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, chunked", ""), 501),
                bad("gzip without chunked (RFC 9112 §6.3 step 4)",
                        crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip", ""), 400),
                bad("registered codings without chunked, any case",
                        crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: GZIP, deflate", ""), 400),
                bad("deflate before chunked", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: deflate, chunked", ""), 501),
                bad("xchunked", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: xchunked", ""), 501),
                bad("an unknown coding beside gzip", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, xchunked", ""), 501),
                bad("identity alone", crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: identity", ""), 501),
                bad("unknown expectation (RFC 9110 §10.1.1)", crlf("GET / HTTP/1.1", "Host: a", "Expect: teapot", ""), 417),
                bad("request line over 8 KiB", crlf("GET " + longTarget + " HTTP/1.1", "Host: a", ""), 414),
                bad("one field line over 8 KiB", crlf("GET / HTTP/1.1", "Host: a", "X-A: " + "b".repeat(8192), ""), 431),
                bad("header section over 16 KiB", crlf("GET / HTTP/1.1", "Host: a", "X-A: " + "b".repeat(8000),
                        "X-B: " + "b".repeat(8000), "X-C: " + "b".repeat(500), ""), 431),
                bad("more than 100 fields", crlf(manyFields(101)), 431),
                // RFC 9112 §3.2, §2.2 (RFC-CHECKLIST §1): octets outside the URI grammar are 400 and a close.
                bad("< and > in the path", crlf("GET /echo/a<b> HTTP/1.1", "Host: a", ""), 400),
                bad("a double quote in the path", crlf("GET /a\"b HTTP/1.1", "Host: a", ""), 400),
                bad("braces in the path", crlf("GET /a{x} HTTP/1.1", "Host: a", ""), 400),
                bad("< in the query", crlf("GET /a?q=<x> HTTP/1.1", "Host: a", ""), 400),
                bad("a double quote in the query", crlf("GET /a?q=\"x\" HTTP/1.1", "Host: a", ""), 400),
                bad("a backslash", crlf("GET /a\\b HTTP/1.1", "Host: a", ""), 400),
                bad("a backquote", crlf("GET /a`b HTTP/1.1", "Host: a", ""), 400),
                bad("a fragment", crlf("GET /a#b HTTP/1.1", "Host: a", ""), 400),
                bad("% followed by non-hex", crlf("GET /echo/a%zz HTTP/1.1", "Host: a", ""), 400),
                bad("% followed by one hex digit", crlf("GET /a%4 HTTP/1.1", "Host: a", ""), 400),
                bad("% at the end of the target", crlf("GET /a% HTTP/1.1", "Host: a", ""), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesTheSameWhateverTheSplit(String name, byte[] raw, String expected) throws IOException {
        for (InputStream in : everyGrouping(raw)) {
            RequestHead head = new ConnectionInput(in, ReadControl.NONE, LIMITS).readHead(1_000);
            assertThat(summary(head)).as("%s via %s", name, in).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void failsWithTheSameStatusWhateverTheSplit(String name, byte[] raw, int status) throws IOException {
        for (InputStream in : everyGrouping(raw)) {
            ConnectionInput input = new ConnectionInput(in, ReadControl.NONE, LIMITS);
            int got;
            try {
                input.readHead(1_000);
                got = 200;
            } catch (HttpParseException e) {
                got = e.status().code();
                assertThat(e.keepConnection()).isFalse();
            }
            assertThat(got).as(name).isEqualTo(status);
        }
    }

    @org.junit.jupiter.api.Test
    void keepsRepeatedFieldsAndLooksUpNamesIgnoringCase() throws IOException {
        byte[] raw = bytes(crlf("GET / HTTP/1.1", "Host: a", "X-Tag: one", "x-tag: two", "Obs: caf\u00e9", ""));
        RequestHead head = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 100), ReadControl.NONE, LIMITS)
                .readHead(1_000);
        assertThat(head.all("X-TAG")).containsExactly("one", "two");
        assertThat(head.first("host")).isEqualTo("a");
        assertThat(head.first("obs")).isEqualTo("caf\u00e9"); // obs-text kept as ISO-8859-1
        assertThat(head.method()).isEqualTo(Method.GET);
        assertThat(head.version()).isEqualTo(Version.HTTP_1_1);
    }

    @org.junit.jupiter.api.Test
    void readsExpectAsAListIgnoringEmptyElementsAndRepeats() throws IOException {
        for (String expect : List.of("100-continue", "100-Continue,", ", 100-continue", "100-continue, 100-continue",
                "100-continue,,  ,")) {
            byte[] raw = bytes(crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 1", "Expect: " + expect, ""));
            RequestHead head = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 100), ReadControl.NONE, LIMITS)
                    .readHead(1_000);
            assertThat(head.expectContinue()).as(expect).isTrue();
        }
        assertThat(parseStatus(crlf("POST / HTTP/1.1", "Host: a", "Expect: 100-continue, teapot", ""))).isEqualTo(417);
        assertThat(parseStatus(crlf("POST / HTTP/1.1", "Host: a", "Expect: ,", ""))).isEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void acceptsARequestLineOfExactlyTheLimitAndRefusesOneByteMore() throws IOException {
        String prefix = "GET /";
        String suffix = " HTTP/1.1\r\n";
        int fill = LIMITS.maxRequestLineBytes() - prefix.length() - suffix.length();
        String atLimit = prefix + "a".repeat(fill) + suffix + "Host: a\r\n\r\n";
        String overLimit = prefix + "a".repeat(fill + 1) + suffix + "Host: a\r\n\r\n";
        assertThat(parseStatus(atLimit)).isEqualTo(200);
        assertThat(parseStatus(overLimit)).isEqualTo(414);
    }

    @org.junit.jupiter.api.Test
    void acceptsAFieldLineOfExactlyTheLimitAndRefusesOneByteMore() throws IOException {
        String name = "X-A: ";
        String atLimit = crlf("GET / HTTP/1.1", "Host: a", name + "b".repeat(LIMITS.maxFieldLineBytes() - name.length()), "");
        String overLimit = crlf("GET / HTTP/1.1", "Host: a", name + "b".repeat(LIMITS.maxFieldLineBytes() - name.length() + 1), "");
        assertThat(parseStatus(atLimit)).isEqualTo(200);
        assertThat(parseStatus(overLimit)).isEqualTo(431);
    }

    @org.junit.jupiter.api.Test
    void acceptsExactlyTheFieldCountLimitAndRefusesOneMore() throws IOException {
        assertThat(parseStatus(crlf(manyFields(100)))).isEqualTo(200);
        assertThat(parseStatus(crlf(manyFields(101)))).isEqualTo(431);
    }

    private static int parseStatus(String raw) throws IOException {
        try {
            new ConnectionInput(TrickleInputStream.ofReadSize(bytes(raw), 1000), ReadControl.NONE, LIMITS).readHead(1_000);
            return 200;
        } catch (HttpParseException e) {
            return e.status().code();
        }
    }

    /** "GET / HTTP/1.1", then Host and fillers up to {@code count} fields, then the blank line. */
    private static String[] manyFields(int count) {
        List<String> lines = new ArrayList<>();
        lines.add("GET / HTTP/1.1");
        lines.add("Host: a");
        for (int i = 1; i < count; i++) {
            lines.add("X-F" + i + ": v");
        }
        lines.add("");
        return lines.toArray(String[]::new);
    }

    private static List<InputStream> everyGrouping(byte[] raw) {
        List<InputStream> streams = new ArrayList<>();
        streams.add(TrickleInputStream.ofReadSize(raw, raw.length));
        int step = raw.length > 600 ? 97 : 1; // long vectors: a sample of offsets keeps the run short
        for (int offset = 1; offset < raw.length; offset += step) {
            streams.add(TrickleInputStream.splitAt(raw, offset));
        }
        for (int size = 1; size <= Math.min(raw.length, 64); size++) {
            streams.add(TrickleInputStream.ofReadSize(raw, size));
        }
        return streams;
    }

    private static String summary(RequestHead head) {
        return head.method() + " " + head.path() + " " + head.query() + " " + head.version()
                + " cl=" + head.contentLength() + " chunked=" + head.chunked();
    }

    private static Arguments ok(String name, String raw, String expected) {
        return arguments(name, bytes(raw), expected);
    }

    private static Arguments bad(String name, String raw, int status) {
        return arguments(name, bytes(raw), status);
    }
}
