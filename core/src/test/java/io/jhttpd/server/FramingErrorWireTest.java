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
                        "Y: " + "a".repeat(8000), "Z: " + "a".repeat(1000), ""), 431));
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
