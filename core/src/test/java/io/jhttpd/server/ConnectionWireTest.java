package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Raw bytes in, raw bytes out, over a real socket: keep-alive, pipelining, framing, errors. */
class ConnectionWireTest {

    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.start(Limits.defaults().withBodyTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private RawClient client() throws IOException {
        return new RawClient(server.port());
    }

    @Test
    void answersAGetWithDateServerAndContentLength() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(get("/")).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(r.header("Content-Length")).isEqualTo("13");
            assertThat(r.header("Server")).isEqualTo("jhttpd");
            assertThat(r.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            assertThat(r.bodyText()).isEqualTo("Hello, World!");
            assertThat(r.header("Connection")).isNull();
        }
    }

    @Test
    void keepsTheConnectionOpenForASecondRequest() throws IOException {
        try (RawClient c = client()) {
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            assertThat(c.send(get("/items/7")).read().bodyText()).isEqualTo("item 7");
        }
    }

    @Test
    void answersSixteenPipelinedRequestsInOrder() throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            batch.append(get("/items/" + i));
        }
        try (RawClient c = client()) {
            c.send(batch.toString());
            for (int i = 0; i < 16; i++) {
                assertThat(c.read().bodyText()).isEqualTo("item " + i);
            }
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
        }
    }

    /** Nine pipelined requests (more than the idle wait's 256-byte first read), the last malformed. */
    @Test
    void answersPipelinedRequestsBeforeAMalformedOneThenRefusesItAndCloses() throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            batch.append(get("/items/" + i));
        }
        batch.append("GET /items/8 HTTP/1.1\rHost: a\r\n\r\n"); // a bare CR
        try (RawClient c = client()) {
            c.send(batch.toString());
            for (int i = 0; i < 8; i++) {
                assertThat(c.read().bodyText()).isEqualTo("item " + i);
            }
            Reply refused = c.read();
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void readsAChunkedRequestBodyWithExtensionsAndTrailers() throws IOException {
        String request = crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "",
                "5;name=value", "Hello", "7", ", World", "0", "Trailer-Field: x", "");
        try (RawClient c = client()) {
            Reply r = c.send(request).read();
            assertThat(r.bodyText()).isEqualTo("Hello, World");
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void writesAStreamedBodyChunked() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(get("/stream")).read();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.bodyText()).isEqualTo("part0\npart1\npart2\n");
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void streamsToHttp10UntilClose() throws IOException {
        try (RawClient c = client()) {
            c.send(crlf("GET /stream HTTP/1.0", ""));
            String raw = c.readRest();
            assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("Transfer-Encoding")
                    .contains("Connection: close\r\n").endsWith("\r\n\r\npart0\npart1\npart2\n");
        }
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws IOException {
        try (RawClient c = client()) {
            Reply get = c.send(get("/")).read();
            Reply head = c.send(crlf("HEAD / HTTP/1.1", "Host: a", "")).read(true);
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
            assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
            assertThat(c.send(get("/items/1")).read().bodyText()).isEqualTo("item 1");
        }
    }

    /** Node's fetch (undici) keeps a connection after a HEAD only when the response says it persists. */
    @Test
    void aHeadResponseSaysTheConnectionPersistsAndAGetResponseNeedNot() throws IOException {
        try (RawClient c = client()) {
            assertThat(c.send(crlf("HEAD / HTTP/1.1", "Host: a", "")).read(true).header("Connection"))
                    .isEqualTo("keep-alive");
            assertThat(c.send(get("/")).read().header("Connection")).isNull();
            assertThat(c.send(crlf("HEAD / HTTP/1.1", "Host: a", "Connection: close", "")).read(true)
                    .header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void headOfAStreamedBodySendsNoChunks() throws IOException {
        try (RawClient c = client()) {
            Reply head = c.send(crlf("HEAD /stream HTTP/1.1", "Host: a", "")).read(true);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(c.send(get("/items/2")).read().bodyText()).isEqualTo("item 2");
        }
    }

    @Test
    void sendsNoBodyOrLengthOn204() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(get("/empty")).read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Content-Length")).isNull();
            assertThat(c.send(get("/items/3")).read().bodyText()).isEqualTo("item 3");
        }
    }

    @Test
    void honoursConnectionCloseFromTheClient() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(crlf("GET / HTTP/1.1", "Host: a", "Connection: close", "") + get("/canary")).read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    /** The close at the client's request skips the lingering read; the response must still arrive whole. */
    @Test
    void aClientThatAskedToCloseReadsALargeResponseWholeBeforeTheEnd() throws IOException {
        byte[] body = new byte[3 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        try (RawClient c = client()) {
            c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Connection: close", "Content-Length: " + body.length, ""));
            c.send(body);
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(body);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    /** A body the handler left unread is still in the socket: the close must linger, not reset. */
    @Test
    void aClientThatAskedToCloseGetsItsAnswerWhenTheHandlerIgnoredTheBody() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Connection: close", "Content-Length: 200000", "")
                    + "x".repeat(200_000)).read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void closesHttp10UnlessAskedToKeepAlive() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(crlf("GET / HTTP/1.0", "")).read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
        try (RawClient c = client()) {
            Reply r = c.send(crlf("GET / HTTP/1.0", "Connection: keep-alive", "")).read();
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(c.send(crlf("GET /items/4 HTTP/1.0", "Connection: keep-alive", "")).read().bodyText())
                    .isEqualTo("item 4");
        }
    }

    @Test
    void sends100ContinueOnlyWhenTheHandlerReadsTheBody() throws IOException {
        try (RawClient c = client()) {
            c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 5", "Expect: 100-continue", ""));
            Reply interim = c.read();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            Reply r = c.send("hello").read();
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void answersWithoutContinueAndClosesWhenTheHandlerIgnoresTheBody() throws IOException {
        try (RawClient c = client()) {
            c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Content-Length: 5", "Expect: 100-continue", ""));
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void answers413BeforeReadingAnOversizedDeclaredBody() throws IOException {
        try (RawClient c = client()) {
            c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 6000000", "Expect: 100-continue", ""));
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void drainsABodyTheHandlerDidNotRead() throws IOException {
        try (RawClient c = client()) {
            c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Content-Length: 5", "", "hello") + get("/items/5"));
            assertThat(c.read().bodyText()).isEqualTo("ignored");
            assertThat(c.read().bodyText()).isEqualTo("item 5");
        }
    }

    /** The body timeout here is 2 s: the answer must not wait for the rest of a body nobody reads. */
    @Test
    void answersAtOnceWhileTheUnreadRestOfTheBodyIsStillComing() throws IOException {
        try (RawClient c = client()) {
            c.setTimeout(1000);
            Reply r = c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Content-Length: 1000", "") + "0123456789").read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(r.header("Connection")).isNull();
            assertThat(c.send("x".repeat(990) + get("/items/5")).read().bodyText())
                    .as("the rest was dropped, and the connection carries on").isEqualTo("item 5");
        }
    }

    @Test
    void anUnreadBodyTooLongToDropIsAnsweredWithConnectionClose() throws IOException {
        try (RawClient c = client()) {
            c.setTimeout(1000);
            Reply r = c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Content-Length: 300000", "") + "0123456789").read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    /** A chunked rest longer than the drain limit, arriving: the answer is read whole, then EOF. */
    @Test
    void anUnreadChunkedBodyLongerThanTheDrainLimitEndsInALingeringClose() throws IOException {
        try (HttpServer small = TestServers.start(Limits.defaults().withMaxDrainBytes(1024));
             RawClient c = new RawClient(small.port())) {
            c.setTimeout(5000);
            StringBuilder chunks = new StringBuilder();
            for (int i = 0; i < 64; i++) {
                chunks.append("400\r\n").append("y".repeat(1024)).append("\r\n");
            }
            Reply r = c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + chunks).read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    /** What has arrived of an unread chunked body already shows a framing error: the answer says close. */
    @Test
    void anUnreadChunkedBodyAlreadyMalformedIsAnsweredWithConnectionClose() throws IOException {
        for (String requestLine : new String[] {"POST /ignore-body HTTP/1.1", "HEAD / HTTP/1.1"}) {
            try (RawClient c = client()) {
                c.setTimeout(2000);
                c.send(crlf(requestLine, "Host: a", "Transfer-Encoding: chunked", "") + "zz\r\n" + get("/items/5"));
                String method = requestLine.substring(0, 4);
                Reply r = c.read(method.equals("HEAD"));
                assertThat(r.status()).as(method).isEqualTo(200);
                assertThat(r.header("Connection")).as(method).isEqualTo("close");
                assertThat(c.isClosedByServer()).as("the request after it is not served").isTrue();
            }
        }
    }

    /** A whole unread chunked body already here is dropped at once, and the connection carries on. */
    @Test
    void anUnreadChunkedBodyThatHasArrivedWholeIsDroppedAndTheConnectionGoesOn() throws IOException {
        try (RawClient c = client()) {
            c.setTimeout(2000);
            c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "")
                    + "5;x=1\r\nhello\r\n0\r\nTrailer-A: b\r\n\r\n" + get("/items/5"));
            Reply r = c.read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(r.header("Connection")).isNull();
            assertThat(c.read().bodyText()).isEqualTo("item 5");
        }
    }

    /** A chunk declared longer than the drain limit, unread: known at once, so the answer says close. */
    @Test
    void anUnreadChunkDeclaredLongerThanTheDrainLimitIsAnsweredWithConnectionClose() throws IOException {
        try (HttpServer small = TestServers.start(Limits.defaults().withMaxDrainBytes(1024));
             RawClient c = new RawClient(small.port())) {
            c.setTimeout(5000);
            Reply r = c.send(crlf("POST /ignore-body HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "")
                    + "10000\r\n" + "y".repeat(100)).read();
            assertThat(r.bodyText()).isEqualTo("ignored");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void answers500WhenAHandlerThrowsAndKeepsTheConnection() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(get("/boom")).read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText()).doesNotContain("deliberate");
            assertThat(c.send(get("/items/6")).read().bodyText()).isEqualTo("item 6");
        }
    }

    /** An Error (out of memory) in a handler: the client still gets its 500, and the connection closes. */
    @Test
    void answers500AndClosesWhenAHandlerFailsWithAnError() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(get("/out-of-memory")).read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).doesNotContain("deliberate");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void rendersAnHttpExceptionWithItsStatus() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(get("/teapot")).read();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 418 ");
            assertThat(r.bodyText()).isEqualTo("No coffee\n");
        }
    }

    @Test
    void answers404And405WithAllow() throws IOException {
        try (RawClient c = client()) {
            assertThat(c.send(get("/nowhere")).read().status()).isEqualTo(404);
            Reply r = c.send(crlf("DELETE / HTTP/1.1", "Host: a", "")).read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
    }

    @Test
    void answersOptionsAsteriskWithEveryRoutedMethod() throws IOException {
        try (RawClient c = client()) {
            Reply r = c.send(crlf("OPTIONS * HTTP/1.1", "Host: a", "")).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, POST, OPTIONS");
            assertThat(r.header("Content-Length")).isEqualTo("0");
        }
    }

    @Test
    void timesOutASlowHeadWith408() throws IOException {
        try (HttpServer slow = TestServers.start(Limits.defaults().withHeaderTimeout(Duration.ofMillis(300)));
             RawClient c = new RawClient(slow.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n");
            Reply r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void closesAnIdleKeepAliveConnectionSilently() throws IOException {
        try (HttpServer idle = TestServers.start(Limits.defaults().withIdleTimeout(Duration.ofMillis(200)));
             RawClient c = new RawClient(idle.port())) {
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            assertThat(c.readRest()).isEmpty();
        }
    }
}
