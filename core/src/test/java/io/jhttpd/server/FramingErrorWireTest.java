package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * After a request whose framing cannot be trusted, the server answers, says {@code Connection: close},
 * closes, and never treats the bytes that follow as a request (RFC 9112 §11.2). Each case sends a
 * canary request in the same write and checks that it was never served.
 */
class FramingErrorWireTest {

    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.start(Limits.defaults().withMaxBodyBytes(1024).withBodyTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> smuggling() {
        return Stream.of(
                arguments("CL.TE: both present", crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 6",
                        "Transfer-Encoding: chunked", "", "0", ""), 400),
                arguments("TE.CL: both present, TE first", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding: chunked", "Content-Length: 3", "", "0", ""), 400),
                arguments("TE.TE: chunked then identity", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding: chunked, identity", "", "0", ""), 400),
                arguments("TE.TE: two TE lines, the second unknown", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding: chunked", "Transfer-Encoding: x", "", "0", ""), 400),
                arguments("TE with a vertical tab", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding:\u000bchunked", "", "0", ""), 400),
                arguments("unknown coding", crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: gzip, chunked",
                        "", "0", ""), 501),
                arguments("TE on HTTP/1.0", crlf("POST /echo HTTP/1.0", "Transfer-Encoding: chunked", "", "0", ""), 400),
                arguments("CL with a sign", crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: +3", "", "abc"), 400),
                arguments("CL list that differs", crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 3, 4", "", "abc"), 400),
                arguments("two CL lines that differ", crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 3",
                        "Content-Length: 4", "", "abc"), 400),
                arguments("bad chunk size", crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "",
                        "zz", "abc", "0", ""), 400),
                arguments("chunk data without its CRLF", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding: chunked", "") + "3\r\nabcXY0\r\n\r\n", 400),
                arguments("chunked body over the limit", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding: chunked", "", "401", "x".repeat(0x401), "0", ""), 413),
                arguments("space before colon", crlf("GET / HTTP/1.1", "Host: a", "Content-Length : 5", ""), 400),
                arguments("obs-fold", crlf("GET / HTTP/1.1", "Host: a", "X: a", "\tb", ""), 400),
                arguments("missing Host", crlf("GET / HTTP/1.1", ""), 400),
                arguments("HTTP/2.0", crlf("GET / HTTP/2.0", "Host: a", ""), 505),
                arguments("unknown method", crlf("BREW / HTTP/1.1", "Host: a", ""), 501),
                arguments("request line over 8 KiB", crlf("GET /" + "a".repeat(8200) + " HTTP/1.1", "Host: a", ""), 414),
                arguments("header line over 8 KiB", crlf("GET / HTTP/1.1", "Host: a", "X: " + "a".repeat(8200), ""), 431),
                arguments("header section over 16 KiB", crlf("GET / HTTP/1.1", "Host: a", "X: " + "a".repeat(8000),
                        "Y: " + "a".repeat(8000), "Z: " + "a".repeat(1000), ""), 431),
                // TE.TE: obfuscated Transfer-Encoding that some server in front might read differently
                arguments("TE.TE: chunked twice on one line", te("chunked, chunked"), 400),
                arguments("TE.TE: chunked on two lines", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding: chunked", "Transfer-Encoding: chunked", "", "0", ""), 400),
                arguments("TE.TE: identity before chunked", te("identity, chunked"), 501),
                arguments("TE.TE: identity alone", te("identity"), 501),
                arguments("TE.TE: quoted chunked", te("\"chunked\""), 501),
                arguments("TE.TE: xchunked", te("xchunked"), 501),
                arguments("TE: gzip without chunked leaves the length unknowable", te("gzip"), 400),
                arguments("TE.TE: chunked with a parameter", te("chunked;q=1"), 400),
                arguments("TE.TE: chunked with obs-text appended", te("chunked\u00ff"), 501),
                arguments("TE.TE: empty value", te(""), 400),
                arguments("TE.TE: a comma alone", te(","), 400),
                arguments("TE.TE: vertical tab after chunked", te("chunked\u000b"), 400),
                arguments("TE.TE: form feed before chunked", te("\u000cchunked"), 400),
                arguments("TE.TE: NUL inside chunked", te("chun\u0000ked"), 400),
                arguments("TE.TE: bare CR inside the value", te("chunked\rX: y"), 400),
                arguments("TE.TE: bare LF ends the TE line", "POST /echo HTTP/1.1\r\nHost: a\r\n"
                        + "Transfer-Encoding: chunked\nX: y\r\n\r\n0\r\n\r\n", 400),
                arguments("TE.TE: space before the colon", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding : chunked", "", "0", ""), 400),
                arguments("TE.TE: tab before the colon", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding\t: chunked", "", "0", ""), 400),
                arguments("TE.TE: folded onto the next line", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Transfer-Encoding:", " chunked", "", "0", ""), 400),
                arguments("TE.TE: indented as the first field", crlf("POST /echo HTTP/1.1", " Transfer-Encoding: chunked",
                        "Host: a", "", "0", ""), 400),
                // CL.TE and TE.CL with obfuscation on either side
                arguments("CL.TE: TE in capitals", crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 5",
                        "TRANSFER-ENCODING: CHUNKED", "", "0", "", ""), 400),
                arguments("CL.TE: TE with trailing whitespace", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Content-Length: 5", "Transfer-Encoding: chunked \t", "", "0", "", ""), 400),
                arguments("CL.TE: TE unknown coding and CL", crlf("POST /echo HTTP/1.1", "Host: a",
                        "Content-Length: 5", "Transfer-Encoding: identity", "", "0", "", ""), 400),
                arguments("TE.CL: CL zero", crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: chunked",
                        "Content-Length: 0", "", "5", "hello", "0", ""), 400),
                // Content-Length in every malformed shape
                arguments("CL negative", cl("-3"), 400),
                arguments("CL with a space inside", cl("3 3"), 400),
                arguments("CL with a tab inside", cl("3\t3"), 400),
                arguments("CL hex", cl("0x3"), 400),
                arguments("CL decimal point", cl("3.0"), 400),
                arguments("CL exponent", cl("3e0"), 400),
                arguments("CL underscore", cl("1_0"), 400),
                arguments("CL empty", cl(""), 400),
                arguments("CL leading comma", cl(",3"), 400),
                arguments("CL trailing comma", cl("3,"), 400),
                arguments("CL empty list element", cl("3,,3"), 400),
                arguments("CL list with a sign", cl("3, +3"), 400),
                arguments("CL beyond a long", cl("99999999999999999999"), 400),
                arguments("CL full-width digit", cl("\u00b3"), 400),
                arguments("CL vertical tab before", cl("\u000b3"), 400),
                arguments("CL quoted", cl("\"3\""), 400),
                arguments("CL on 1.0 with a second differing line", crlf("POST /echo HTTP/1.0",
                        "Content-Length: 3", "Content-Length: 30", "", "abc"), 400));
    }

    /** A chunked-looking request with the given Transfer-Encoding value and an empty chunked body. */
    private static String te(String value) {
        return crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: " + value, "", "0", "");
    }

    /** A request with the given Content-Length value and three body bytes. */
    private static String cl(String value) {
        return crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: " + value, "") + "abc";
    }

    /**
     * Requests that look like smuggling but are well-defined by RFC 9112: each is framed exactly as the
     * RFC says, its body echoed back, and the canary after it served once as the next request, never
     * sooner (hidden in a body) and never twice.
     */
    static Stream<Arguments> wellFramed() {
        String smuggled = get("/canary");
        String smuggledChunk = Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n";
        return Stream.of(
                arguments("TE with trailing space is chunked (OWS is trimmed)",
                        chunked("chunked ") + "3\r\nabc\r\n0\r\n\r\n", "abc"),
                arguments("TE with trailing tab and space is chunked",
                        chunked("chunked\t ") + "3\r\nabc\r\n0\r\n\r\n", "abc"),
                arguments("TE with a tab before the value is chunked",
                        chunked("\tchunked") + "3\r\nabc\r\n0\r\n\r\n", "abc"),
                arguments("TE Chunked in mixed case is chunked",
                        chunked("Chunked") + "3\r\nabc\r\n0\r\n\r\n", "abc"),
                arguments("an empty TE list element is ignored",
                        chunked(", chunked") + "3\r\nabc\r\n0\r\n\r\n", "abc"),
                arguments("a request hidden in chunk data stays data",
                        chunked("chunked") + smuggledChunk + "0\r\n\r\n", smuggled),
                arguments("a request hidden in a fixed-length body stays data",
                        crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: " + smuggled.length(), "") + smuggled,
                        smuggled),
                arguments("CL with leading zeros is decimal, not octal",
                        crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 010", "") + "0123456789", "0123456789"),
                arguments("CL with OWS around it",
                        crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: \t3 ", "") + "abc", "abc"),
                arguments("CL list of equal values",
                        crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 3, 03,3", "") + "abc", "abc"),
                arguments("Transfer_Encoding is another field: CL frames",
                        crlf("POST /echo HTTP/1.1", "Host: a", "Transfer_Encoding: chunked", "Content-Length: 3", "")
                                + "abc", "abc"),
                arguments("trailers cannot set framing: CL and TE in the trailer section are dropped",
                        chunked("chunked") + "3\r\nabc\r\n0\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "abc"));
    }

    private static String chunked(String teValue) {
        return crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: " + teValue, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFramed")
    void framesExactlyAsTheRfcSaysAndServesTheNextRequestOnce(String name, String request, String body)
            throws IOException {
        int canaries = TestServers.CANARY_HITS.get();
        try (RawClient c = new RawClient(server.port())) {
            Reply echoed = c.send(request + get("/canary")).read();
            assertThat(echoed.status()).as(name).isEqualTo(200);
            assertThat(echoed.bodyText()).as(name).isEqualTo(body);
            Reply next = c.read();
            assertThat(next.bodyText()).as("%s: the next request", name).isEqualTo("canary");
            assertThat(c.send(get("/")).read().status()).as("%s: the connection goes on", name).isEqualTo(200);
        }
        assertThat(TestServers.CANARY_HITS.get()).as("canary served exactly once").isEqualTo(canaries + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smuggling")
    void answersClosesAndNeverServesTheBytesAfter(String name, String request, int status) throws IOException {
        int canaries = TestServers.CANARY_HITS.get();
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(request + get("/canary")).read();
            assertThat(r.status()).as(name).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readRest()).as("nothing after the error response").isEmpty();
        }
        assertThat(TestServers.CANARY_HITS.get()).as("canary served").isEqualTo(canaries);
    }

    /** Refusals that come before any handler: for a HEAD request, each still ends at the empty line. */
    static Stream<Arguments> refusedHeadRequests() {
        return Stream.of(
                arguments("missing Host", crlf("HEAD / HTTP/1.1", ""), 400),
                arguments("space before colon", crlf("HEAD / HTTP/1.1", "Host: a", "X : y", ""), 400),
                arguments("TE and CL", crlf("HEAD / HTTP/1.1", "Host: a", "Content-Length: 1",
                        "Transfer-Encoding: chunked", ""), 400),
                arguments("unknown expectation", crlf("HEAD / HTTP/1.1", "Host: a", "Expect: teapot", ""), 417),
                arguments("request line over 8 KiB", crlf("HEAD /" + "a".repeat(8200) + " HTTP/1.1", "Host: a", ""), 414),
                arguments("request line over the largest buffer, never read whole",
                        crlf("HEAD /" + "a".repeat(20_000) + " HTTP/1.1", "Host: a", ""), 414),
                arguments("header line over 8 KiB", crlf("HEAD / HTTP/1.1", "Host: a", "X: " + "a".repeat(8200), ""), 431),
                arguments("HTTP/2.0", crlf("HEAD / HTTP/2.0", "Host: a", ""), 505));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedHeadRequests")
    void aRefusedHeadRequestGetsNoContent(String name, String request, int status) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(request).read(true);
            assertThat(r.status()).as(name).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.readRest()).as("%s: no content after the head (RFC 9110 §9.3.2)", name).isEmpty();
        }
    }

    @Test
    void theClientReadsA413WhileStillSendingItsBody() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 100000", ""));
            byte[] chunk = new byte[8192];
            for (int i = 0; i < 4; i++) {
                c.send(chunk); // the server has already answered; a lingering close keeps this from a reset
            }
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void anIncompleteBodyClosesTheConnection() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 10", "") + "abc");
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aSecondHostAfterAGoodRequestStillGetsAnAnswerForTheFirst() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send(get("/items/1") + crlf("GET / HTTP/1.1", "Host: a", "Host: b", "") + get("/canary"));
            assertThat(c.read().bodyText()).isEqualTo("item 1");
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.readRest()).isEmpty();
        }
    }
}
