package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.testing.TrickleInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jhttpd.testing.Wire.bytes;
import static io.jhttpd.testing.Wire.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Body framing vectors (RFC 9112 §6–§7): each request, whole or split at any offset, yields the same
 * body, or fails with the same status, and leaves the next pipelined request intact.
 */
class BodyVectorsTest {

    private static final Limits LIMITS = Limits.defaults().withMaxBodyBytes(64);
    private static final String CHUNKED_HEAD = crlf("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "");
    private static final String NEXT = crlf("GET /next HTTP/1.1", "Host: a", "");

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("fixed length", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 5", "") + "hello", "hello"),
                arguments("no framing means no body (RFC 9112 §6.3 step 7)", crlf("POST / HTTP/1.1", "Host: a", ""), ""),
                arguments("chunked", CHUNKED_HEAD + crlf("5", "hello", "1", "!", "0", ""), "hello!"),
                arguments("upper-case hex", CHUNKED_HEAD + crlf("A", "0123456789", "0", ""), "0123456789"),
                arguments("leading zeros in size and last chunk", CHUNKED_HEAD + crlf("0005", "hello", "000", ""), "hello"),
                arguments("extensions are dropped (§7.1.1)", CHUNKED_HEAD + crlf("5;a=b;c=\"d e\"", "hello", "0;x", ""), "hello"),
                arguments("BWS before an extension", CHUNKED_HEAD + crlf("5 ;a=b", "hello", "0", ""), "hello"),
                arguments("trailers are dropped (§7.1.2)",
                        CHUNKED_HEAD + crlf("5", "hello", "0", "Content-Length: 99", "X-Check: 1", ""), "hello"),
                arguments("trailers naming framing fields are dropped, never applied (§7.1.2)",
                        CHUNKED_HEAD + crlf("5", "hello", "0", "Transfer-Encoding: chunked", "Content-Length: 0",
                                "Host: evil", "Connection: close", ""), "hello"),
                arguments("BWS tab before an extension", CHUNKED_HEAD + crlf("5\t;a", "hello", "0", ""), "hello"),
                arguments("BWS around ; and = (§7.1.1)", CHUNKED_HEAD + crlf("5 ; a = b ;c= \"d\\\"e\"", "hello", "0", ""), "hello"),
                arguments("chunks of exactly the limit in total", CHUNKED_HEAD + crlf("20", "x".repeat(32), "20",
                        "y".repeat(32), "0", ""), "x".repeat(32) + "y".repeat(32)),
                arguments("body of exactly the limit", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 64", "")
                        + "x".repeat(64), "x".repeat(64)));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("size with 0x prefix", CHUNKED_HEAD + crlf("0x5", "hello", "0", ""), 400),
                arguments("negative size", CHUNKED_HEAD + crlf("-5", "hello", "0", ""), 400),
                arguments("empty size line", CHUNKED_HEAD + crlf("", "hello", "0", ""), 400),
                arguments("trailing space without ;", CHUNKED_HEAD + crlf("5 ", "hello", "0", ""), 400),
                arguments("non-hex size", CHUNKED_HEAD + crlf("g", "hello", "0", ""), 400),
                arguments("17 hex digits", CHUNKED_HEAD + crlf("00000000000000005", "hello", "0", ""), 400),
                arguments("size overflowing a long is past any limit", CHUNKED_HEAD + crlf("FFFFFFFFFFFFFFFF", "hello", "0", ""), 413),
                arguments("missing CRLF after data", CHUNKED_HEAD + "5\r\nhelloX\r\n0\r\n\r\n", 400),
                arguments("LF alone after data", CHUNKED_HEAD + "5\r\nhello\n0\r\n\r\n", 400),
                arguments("bare LF after the size", CHUNKED_HEAD + "5\nhello\r\n0\r\n\r\n", 400),
                arguments("control byte in an extension", CHUNKED_HEAD + crlf("5;a=\u0001", "hello", "0", ""), 400),
                arguments("size line over 4 KiB", CHUNKED_HEAD + crlf("5;" + "a".repeat(5000), "hello", "0", ""), 400),
                arguments("malformed trailer", CHUNKED_HEAD + crlf("5", "hello", "0", "Bad Trailer: x", ""), 400),
                arguments("trailer section over 8 KiB", CHUNKED_HEAD + crlf("5", "hello", "0",
                        "X-A: " + "a".repeat(4000), "X-B: " + "a".repeat(4000), "X-C: " + "a".repeat(400), ""), 431),
                arguments("chunks adding up past the limit", CHUNKED_HEAD + crlf("40", "x".repeat(64), "1", "x", "0", ""), 413),
                arguments("one chunk declared past the limit", CHUNKED_HEAD + crlf("41", "x".repeat(65), "0", ""), 413),
                arguments("Content-Length past the limit", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 65", "")
                        + "x".repeat(65), 413),
                arguments("size of exactly 2^63 (negative as a long) is past any limit",
                        CHUNKED_HEAD + crlf("8000000000000000", "x", "0", ""), 413),
                arguments("largest 16-digit size is held to the limit",
                        CHUNKED_HEAD + crlf("7FFFFFFFFFFFFFFF", "x", "0", ""), 413),
                arguments("size with a plus sign", CHUNKED_HEAD + crlf("+5", "hello", "0", ""), 400),
                arguments("space inside the size", CHUNKED_HEAD + crlf("5 5", "hello", "0", ""), 400),
                arguments("leading space before the size", CHUNKED_HEAD + crlf(" 5", "hello", "0", ""), 400),
                arguments("size with a unit suffix", CHUNKED_HEAD + crlf("5h", "hello", "0", ""), 400),
                arguments("NUL after the size", CHUNKED_HEAD + crlf("5\u0000", "hello", "0", ""), 400),
                arguments("bare CR after the size", CHUNKED_HEAD + "5\rhello\r\n0\r\n\r\n", 400),
                arguments("CR alone after data", CHUNKED_HEAD + "5\r\nhello\r0\r\n\r\n", 400),
                arguments("data longer than its size", CHUNKED_HEAD + crlf("3", "hello", "0", ""), 400),
                arguments("data shorter than its size", CHUNKED_HEAD + crlf("7", "hello", "0", ""), 400),
                arguments("size line of only an extension", CHUNKED_HEAD + crlf(";a=b", "hello", "0", ""), 400),
                arguments("size line over 4 KiB of hex zeros",
                        CHUNKED_HEAD + crlf("0".repeat(5000) + "5", "hello", "0", ""), 400),
                arguments("folded trailer (obs-fold)", CHUNKED_HEAD + crlf("5", "hello", "0", "X-A: b", " c", ""), 400),
                arguments("whitespace before a trailer's colon", CHUNKED_HEAD + crlf("5", "hello", "0",
                        "Content-Length : 0", ""), 400),
                arguments("bare CR in a trailer", CHUNKED_HEAD + "5\r\nhello\r\n0\r\nX-A: b\rc\r\n\r\n", 400),
                arguments("one trailer line over 8 KiB: the section is over its limit, 431 as for a head's field line",
                        CHUNKED_HEAD + crlf("5", "hello", "0", "X-A: " + "a".repeat(8300), ""), 431),
                arguments("a chunk size line over its limit is malformed framing",
                        CHUNKED_HEAD + crlf("5;" + "x".repeat(5000), "hello", "0", ""), 400),
                // RFC 9112 §6.3 step 6, RFC-CHECKLIST §3: an incomplete message, 408 before the close.
                arguments("EOF inside a fixed body", crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 10", "") + "hello", 408),
                arguments("EOF inside chunk data", CHUNKED_HEAD + "5\r\nhel", 408),
                arguments("EOF inside a chunk size line", CHUNKED_HEAD + "5", 408),
                arguments("EOF before the CRLF after chunk data", CHUNKED_HEAD + "5\r\nhello", 408),
                arguments("EOF inside the trailer section", CHUNKED_HEAD + "5\r\nhello\r\n0\r\nX-A: b\r\n", 408),
                // §7.1.1: chunk-ext = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )
                arguments("extension value with a space", CHUNKED_HEAD + crlf("5;x=a b", "hello", "0", ""), 400),
                arguments("extension with an unterminated quote", CHUNKED_HEAD + crlf("5;x=\"a", "hello", "0", ""), 400),
                arguments("extension without a name", CHUNKED_HEAD + crlf("5;=x", "hello", "0", ""), 400),
                arguments("extension of a bare semicolon", CHUNKED_HEAD + crlf("5;", "hello", "0", ""), 400),
                arguments("two semicolons", CHUNKED_HEAD + crlf("5;;a", "hello", "0", ""), 400),
                arguments("extension name with a space inside", CHUNKED_HEAD + crlf("5;x y", "hello", "0", ""), 400),
                arguments("extension with = and no value", CHUNKED_HEAD + crlf("5;x=", "hello", "0", ""), 400),
                arguments("extension name that is not a token", CHUNKED_HEAD + crlf("5;x@y=1", "hello", "0", ""), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void readsTheSameBodyAndKeepsTheNextRequest(String name, String raw, String body) throws IOException {
        byte[] bytes = bytes(raw + NEXT);
        for (InputStream in : everyGrouping(bytes)) {
            ConnectionInput input = new ConnectionInput(in, ReadControl.NONE, LIMITS);
            RequestHead head = input.readHead(1_000);
            RequestBody requestBody = BodyFraming.forRequest(head, input, LIMITS, null);
            assertThat(new String(requestBody.readAllBytes(), StandardCharsets.ISO_8859_1)).as(name).isEqualTo(body);
            assertThat(requestBody.complete()).isTrue();
            assertThat(input.readHead(1_000).path()).as("%s: the next request", name).isEqualTo("/next");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void failsWithTheSameStatusAndMarksTheBodyBroken(String name, String raw, int status) throws IOException {
        for (InputStream in : everyGrouping(bytes(raw))) {
            ConnectionInput input = new ConnectionInput(in, ReadControl.NONE, LIMITS);
            RequestHead head = input.readHead(1_000);
            int got;
            RequestBody body = null;
            try {
                body = BodyFraming.forRequest(head, input, LIMITS, null);
                body.readAllBytes();
                got = 200;
            } catch (HttpParseException e) {
                got = e.status().code();
            }
            assertThat(got).as(name).isEqualTo(status);
            if (body != null) {
                assertThat(body.broken()).isTrue();
            }
        }
    }

    @Test
    void discardsAnUnreadBodyAndKeepsTheNextRequest() throws IOException {
        byte[] raw = bytes(CHUNKED_HEAD + crlf("5", "hello", "3", "abc", "0", "") + NEXT);
        ConnectionInput input = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 3), ReadControl.NONE, LIMITS);
        RequestBody body = BodyFraming.forRequest(input.readHead(1_000), input, LIMITS, null);
        assertThat(body.discardRest(100)).isTrue();
        assertThat(input.readHead(1_000).path()).isEqualTo("/next");
    }

    @Test
    void refusesToDiscardMoreThanTheDrainBound() throws IOException {
        byte[] raw = bytes(crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 50", "") + "x".repeat(50));
        ConnectionInput input = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 100), ReadControl.NONE, LIMITS);
        RequestBody body = BodyFraming.forRequest(input.readHead(1_000), input, LIMITS, null);
        assertThat(body.discardRest(49)).isFalse();
    }

    @Test
    void sendsContinueBeforeTheFirstReadOnly() throws IOException {
        byte[] raw = bytes(crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 5", "Expect: 100-continue", "") + "hello");
        ConnectionInput input = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 100), ReadControl.NONE, LIMITS);
        List<String> sent = new ArrayList<>();
        RequestBody body = BodyFraming.forRequest(input.readHead(1_000), input, LIMITS, () -> sent.add("100"));
        assertThat(sent).isEmpty();
        assertThat(body.awaitingContinue()).isTrue();
        assertThat(body.readAllBytes()).hasSize(5);
        assertThat(sent).containsExactly("100");
    }

    @Test
    void readAllBytesAfterAPartialReadGivesTheRest() throws IOException {
        byte[] raw = bytes(crlf("POST / HTTP/1.1", "Host: a", "Content-Length: 11", "") + "hello world" + NEXT);
        ConnectionInput input = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 4), ReadControl.NONE, LIMITS);
        RequestBody body = BodyFraming.forRequest(input.readHead(1_000), input, LIMITS, null);
        assertThat(body.readNBytes(3)).isEqualTo(bytes("hel"));
        assertThat(body.readAllBytes()).isEqualTo(bytes("lo world"));
        assertThat(body.readAllBytes()).isEmpty();
        assertThat(input.readHead(1_000).path()).isEqualTo("/next");
    }

    @Test
    void readsALargeFixedBodyWhole() throws IOException {
        Limits large = Limits.defaults();
        String content = "0123456789abcdef".repeat(8 * 1024 + 3); // over the 64 KiB read in one array
        byte[] raw = bytes(crlf("POST / HTTP/1.1", "Host: a", "Content-Length: " + content.length(), "") + content + NEXT);
        ConnectionInput input = new ConnectionInput(TrickleInputStream.ofReadSize(raw, 1000), ReadControl.NONE, large);
        RequestBody body = BodyFraming.forRequest(input.readHead(1_000), input, large, null);
        assertThat(new String(body.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(content);
        assertThat(input.readHead(1_000).path()).isEqualTo("/next");
    }

    private static List<InputStream> everyGrouping(byte[] raw) {
        List<InputStream> streams = new ArrayList<>();
        streams.add(TrickleInputStream.ofReadSize(raw, raw.length));
        int step = raw.length > 600 ? 89 : 1;
        for (int offset = 1; offset < raw.length; offset += step) {
            streams.add(TrickleInputStream.splitAt(raw, offset));
        }
        for (int size = 1; size <= Math.min(raw.length, 16); size++) {
            streams.add(TrickleInputStream.ofReadSize(raw, size));
        }
        return streams;
    }
}
