package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.ServerListener;
import io.jhttpd.http.Method;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's listener, over a real socket: which events come, in which order, and the exact bytes each
 * request took in and gave out, for plain, pipelined, chunked, refused and malformed requests.
 */
class ServerListenerWireTest {

    /** One listener call; {@code method}, {@code status} and the numbers only for a completed request. */
    record Event(String kind, Method method, Status status, long nanos, long in, long out) {
        static Event of(String kind) {
            return new Event(kind, null, null, 0, 0, 0);
        }

        /** The same, without the duration, which no test can know. */
        Event timeless() {
            return new Event(kind, method, status, 0, in, out);
        }
    }

    /** One {@link ServerListener#requestRefused} call. */
    record Refusal(String requestLine, int status, long bodyBytes) {
    }

    /** Records every call in order; tests wait on it with deadlines. */
    static final class Recorder implements ServerListener {
        final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void connectionOpened(InetSocketAddress remote) {
            events.add(Event.of("opened"));
        }

        @Override
        public void connectionClosed(InetSocketAddress remote) {
            events.add(Event.of("closed"));
        }

        @Override
        public void connectionRejected(InetSocketAddress remote) {
            events.add(Event.of("rejected"));
        }

        @Override
        public void requestStarted() {
            events.add(Event.of("started"));
        }

        @Override
        public void requestCompleted(Method method, Status status, long nanos, long in, long out) {
            events.add(new Event("completed", method, status, nanos, in, out));
        }

        /** Kept apart from {@link #events}, whose sequences the other tests spell out. */
        final LinkedBlockingQueue<Refusal> refusals = new LinkedBlockingQueue<>();

        @Override
        public void requestRefused(InetSocketAddress remote, String requestLine, Status status, long bodyBytes,
                                   long nanos) {
            assertThat(nanos).isNotNegative();
            refusals.add(new Refusal(requestLine, status.code(), bodyBytes));
        }

        Refusal nextRefusal() throws InterruptedException {
            Refusal r = refusals.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a refusal").isNotNull();
            return r;
        }

        /** The next {@code n} events, waiting up to 10 s for each. */
        List<Event> next(int n) throws InterruptedException {
            List<Event> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Event e = events.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("event %d of %d after %s", i + 1, n, got).isNotNull();
                got.add(e.kind().equals("completed") ? e.timeless() : e);
            }
            return got;
        }
    }

    private final Recorder recorder = new Recorder();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    private HttpServer start(Limits limits) throws IOException {
        Router router = TestServers.testRouter()
                .get("/wait", request -> {
                    release.await(10, TimeUnit.SECONDS);
                    return Response.ok().text("done");
                })
                .get("/stream-until-gone", request -> Response.ok().stream("text/plain", out -> {
                    out.write("first".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    byte[] more = new byte[64 * 1024];
                    for (int i = 0; i < 1024; i++) { // 64 MiB: the write fails long before the end
                        out.write(more);
                        out.flush();
                    }
                }));
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withLimits(limits)
                .withShutdownGrace(Duration.ofSeconds(5)).withListener(recorder);
        server = HttpServer.start(config, router);
        return server;
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private static Event completed(Method method, int status, String request, Reply response) {
        return new Event("completed", method, Status.of(status), 0, request.length(), wireLength(response));
    }

    /** The bytes of a response as sent, for one framed by Content-Length (or with no body). */
    private static long wireLength(Reply reply) {
        return reply.head().length() + 4 + reply.body().length;
    }

    @Test
    void reportsOpenStartCompleteAndCloseWithTheExactBytesOfOneRequest() throws Exception {
        start(Limits.defaults());
        String request = get("/");
        Reply reply;
        try (RawClient c = new RawClient(server.port())) {
            reply = c.send(request).read();
            assertThat(reply.status()).isEqualTo(200);
            // completed happens before the response leaves, so it is there once the client has read it
            assertThat(recorder.next(3)).containsExactly(Event.of("opened"), Event.of("started"),
                    completed(Method.GET, 200, request, reply));
        }
        assertThat(recorder.next(1)).containsExactly(Event.of("closed"));
    }

    @Test
    void countsEachPipelinedRequestSeparatelyThoughTheyArriveInOneWrite() throws Exception {
        start(Limits.defaults());
        String first = get("/items/1");
        String second = crlf("POST /echo HTTP/1.1", "Host: test", "Content-Length: 5", "") + "hello";
        String third = crlf("", "GET /items/3 HTTP/1.1", "Host: test", ""); // a leading empty line is its own
        try (RawClient c = new RawClient(server.port())) {
            c.send(first + second + third);
            Reply r1 = c.read();
            Reply r2 = c.read();
            Reply r3 = c.read();
            assertThat(r2.bodyText()).isEqualTo("hello");
            assertThat(recorder.next(7)).containsExactly(Event.of("opened"),
                    Event.of("started"), completed(Method.GET, 200, first, r1),
                    Event.of("started"), completed(Method.POST, 200, second, r2),
                    Event.of("started"), completed(Method.GET, 200, third, r3));
        }
    }

    @Test
    void countsChunkedFramingAndABodyTheServerDrainedUnread() throws Exception {
        start(Limits.defaults());
        String chunked = crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "",
                "5;ext=1", "Hello", "0", "Trailer: x", "");
        String unread = crlf("POST /ignore-body HTTP/1.1", "Host: a", "Content-Length: 10", "") + "0123456789";
        try (RawClient c = new RawClient(server.port())) {
            Reply echoed = c.send(chunked).read();
            Reply ignored = c.send(unread).read();
            assertThat(recorder.next(5)).containsExactly(Event.of("opened"),
                    Event.of("started"), completed(Method.POST, 200, chunked, echoed),
                    Event.of("started"), completed(Method.POST, 200, unread, ignored));
        }
    }

    /** An unread chunked body that arrived whole with its head is dropped before the answer, and counted for it. */
    @Test
    void anUnreadChunkedBodyThatArrivedWholeIsCountedForItsRequest() throws Exception {
        start(Limits.defaults());
        String unread = crlf("POST /ignore-body HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "",
                "5;ext=1", "Hello", "0", "Trailer: x", "");
        try (RawClient c = new RawClient(server.port())) {
            Reply ignored = c.send(unread).read();
            assertThat(ignored.header("Connection")).isNull();
            assertThat(recorder.next(3)).containsExactly(Event.of("opened"),
                    Event.of("started"), completed(Method.POST, 200, unread, ignored));
        }
    }

    /**
     * The answer to a request whose unread body is still arriving goes before the rest is dropped; the
     * request is completed before that answer leaves, and the dropped rest is not counted for the next.
     */
    @Test
    void aRequestAnsweredBeforeItsUnreadRestArrivesIsCompletedBeforeTheAnswerLeaves() throws Exception {
        start(Limits.defaults());
        String head = crlf("POST /ignore-body HTTP/1.1", "Host: a", "Content-Length: 1000", "") + "0123456789";
        try (RawClient c = new RawClient(server.port())) {
            Reply ignored = c.send(head).read();
            assertThat(recorder.events).as("reported by the time the answer was read, without waiting")
                    .hasSize(3).last().satisfies(e -> assertThat(e.kind()).isEqualTo("completed"));
            String next = get("/items/9");
            Reply item = c.send("x".repeat(990) + next).read();
            assertThat(item.bodyText()).isEqualTo("item 9");
            assertThat(recorder.next(5)).containsExactly(Event.of("opened"),
                    Event.of("started"), completed(Method.POST, 200, head, ignored),
                    Event.of("started"), completed(Method.GET, 200, next, item));
        }
    }

    @Test
    void countsTheInterimContinueAsPartOfTheResponse() throws Exception {
        start(Limits.defaults());
        String head = crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 2", "Expect: 100-continue", "");
        try (RawClient c = new RawClient(server.port())) {
            Reply interim = c.send(head).read();
            assertThat(interim.status()).isEqualTo(100);
            Reply reply = c.send("ok").read();
            Event done = recorder.next(3).get(2);
            assertThat(done.in()).isEqualTo(head.length() + 2);
            assertThat(done.out()).isEqualTo(wireLength(interim) + wireLength(reply));
        }
    }

    @Test
    void aMalformedHeadIsACompletedRequestWithItsErrorStatusAndNoMethod() throws Exception {
        start(Limits.defaults());
        String bad = crlf("GET / HTTP/1.1", "Host: a", "Bad Header: x", "");
        try (RawClient c = new RawClient(server.port())) {
            Reply reply = c.send(bad).read();
            assertThat(reply.status()).isEqualTo(400);
            assertThat(recorder.next(3)).containsExactly(Event.of("opened"), Event.of("started"),
                    completed(null, 400, bad, reply));
        }
        assertThat(recorder.next(1)).containsExactly(Event.of("closed"));
    }

    @Test
    void anUnknownMethodIsA501WithNoMethod() throws Exception {
        start(Limits.defaults());
        String brew = crlf("BREW /pot HTTP/1.1", "Host: a", "");
        try (RawClient c = new RawClient(server.port())) {
            Reply reply = c.send(brew).read();
            assertThat(reply.status()).isEqualTo(501);
            assertThat(recorder.next(3)).containsExactly(Event.of("opened"), Event.of("started"),
                    completed(null, 501, brew, reply));
        }
    }

    @Test
    void handlerErrorsAndTooLargeBodiesReportTheStatusTheClientGot() throws Exception {
        start(Limits.defaults().withMaxBodyBytes(4));
        String teapot = get("/teapot");
        String boom = get("/boom");
        String tooLarge = crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 5", "") + "hello"
                + get("/canary"); // the connection closes after the 413: every byte received counts for it
        try (RawClient c = new RawClient(server.port())) {
            Reply r418 = c.send(teapot).read();
            Reply r500 = c.send(boom).read();
            Reply r413 = c.send(tooLarge).read();
            assertThat(r413.status()).isEqualTo(413);
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(recorder.next(8)).containsExactly(Event.of("opened"),
                    Event.of("started"), completed(Method.GET, 418, teapot, r418),
                    Event.of("started"), completed(Method.GET, 500, boom, r500),
                    Event.of("started"), completed(Method.POST, 413, tooLarge, r413),
                    Event.of("closed"));
        }
    }

    @Test
    void whatTheServerRefusesItselfIsReportedWithTheRequestLineAsReceived() throws Exception {
        start(Limits.defaults().withMaxBodyBytes(4));
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(crlf("GET /a\u0001b HTTP/1.1", "Host: a", "")).read();
            assertThat(recorder.nextRefusal()).isEqualTo(new Refusal("GET /a\u0001b HTTP/1.1", 400, r.body().length));
        }
        try (RawClient c = new RawClient(server.port())) {
            c.send(crlf("HEAD / HTTP/1.1", "Host: a", "X : y", "")).read(true);
            assertThat(recorder.nextRefusal()).as("no body for HEAD").isEqualTo(new Refusal("HEAD / HTTP/1.1", 400, -1));
        }
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 5", "") + "hello").read();
            assertThat(recorder.nextRefusal()).isEqualTo(new Refusal("POST /echo HTTP/1.1", 413, r.body().length));
        }
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(crlf("GET /" + "a".repeat(2000) + " HTTP/1.1", "")).read(); // no Host: 400
            assertThat(r.status()).isEqualTo(400);
            Refusal cut = recorder.nextRefusal();
            assertThat(cut.requestLine()).as("cut for the log").startsWith("GET /aaa").endsWith("a...").hasSize(1024 + 3);
        }
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /bare-lf HTTP/1.1\nHost: a\r\n\r\n").read();
            assertThat(recorder.nextRefusal()).as("a line a bare LF ended")
                    .extracting(Refusal::requestLine).isEqualTo("GET /bare-lf HTTP/1.1");
        }
        try (RawClient c = new RawClient(server.port())) {
            Reply ok = c.send(get("/") + crlf("GET /second HTTP/1.1", "Bad Name: x", "")).read();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(recorder.nextRefusal()).as("the pipelined refused one, not the first")
                    .extracting(Refusal::requestLine).isEqualTo("GET /second HTTP/1.1");
        }
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send("GET /" + "a".repeat(9000)).read(); // no line end yet
            assertThat(r.status()).isEqualTo(414);
            assertThat(recorder.nextRefusal()).as("a line never read whole").isEqualTo(new Refusal(null, 414, r.body().length));
        }
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send(get("/teapot")).read().status()).isEqualTo(418);
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
        }
        assertThat(recorder.refusals.poll(200, TimeUnit.MILLISECONDS)).as("a handler's answer is no refusal").isNull();
    }

    @Test
    void allTellsEveryListenerAndLeavesNoneOut() throws Exception {
        assertThat(ServerListener.all()).isSameAs(ServerListener.NONE);
        assertThat(ServerListener.all(ServerListener.NONE, ServerListener.NONE)).isSameAs(ServerListener.NONE);
        assertThat(ServerListener.all(ServerListener.NONE, recorder)).isSameAs(recorder);
        Recorder second = new Recorder();
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withListener(ServerListener.all(recorder, ServerListener.NONE, second));
        server = HttpServer.start(config, TestServers.testRouter());
        String ok = get("/");
        try (RawClient c = new RawClient(server.port())) {
            Reply reply = c.send(ok).read();
            for (Recorder each : List.of(recorder, second)) {
                assertThat(each.next(3)).containsExactly(Event.of("opened"), Event.of("started"),
                        completed(Method.GET, 200, ok, reply));
            }
            c.send(crlf("GET / HTTP/1.1", "")).read();
            assertThat(recorder.nextRefusal().status()).isEqualTo(400);
            assertThat(second.nextRefusal().status()).isEqualTo(400);
        }
    }

    @Test
    void aHeadResponseCountsOnlyTheHeadWritten() throws Exception {
        start(Limits.defaults());
        String head = crlf("HEAD / HTTP/1.1", "Host: a", "");
        try (RawClient c = new RawClient(server.port())) {
            Reply reply = c.send(head).read(true);
            assertThat(reply.header("Content-Length")).isEqualTo("13");
            assertThat(recorder.next(3).get(2)).isEqualTo(completed(Method.HEAD, 200, head, reply));
        }
    }

    @Test
    void aRequestIsInFlightFromItsHeadUntilItsResponse() throws Exception {
        start(Limits.defaults());
        try (RawClient c = new RawClient(server.port())) {
            c.send(get("/wait"));
            assertThat(recorder.next(2)).containsExactly(Event.of("opened"), Event.of("started"));
            assertThat(recorder.events.poll(200, TimeUnit.MILLISECONDS)).as("nothing completes while the handler runs")
                    .isNull();
            release.countDown();
            assertThat(c.read().bodyText()).isEqualTo("done");
            Event done = recorder.next(1).get(0);
            assertThat(done.kind()).isEqualTo("completed");
        }
    }

    @Test
    void measuresTheDurationFromTheParsedHeadToTheResponse() throws Exception {
        start(Limits.defaults());
        try (RawClient c = new RawClient(server.port())) {
            c.send(get("/wait"));
            recorder.next(2);
            long before = System.nanoTime();
            Thread.sleep(50); // a wait the duration must include, not an assertion
            release.countDown();
            c.read();
            long upperBound = System.nanoTime() - before + 5_000_000_000L;
            Event done = recorder.events.poll(10, TimeUnit.SECONDS);
            assertThat(done.nanos()).isBetween(50_000_000L, upperBound);
        }
    }

    @Test
    void aConnectionPastTheCapIsRejectedAndNeverOpened() throws Exception {
        start(Limits.defaults().withMaxConnections(1));
        try (RawClient first = new RawClient(server.port())) {
            assertThat(first.send(get("/")).read().status()).isEqualTo(200);
            assertThat(recorder.next(3)).extracting(Event::kind).containsExactly("opened", "started", "completed");
            try (RawClient second = new RawClient(server.port())) {
                assertThat(second.send(get("/")).read().status()).isEqualTo(503);
                assertThat(recorder.next(1)).containsExactly(Event.of("rejected"));
            }
            assertThat(first.send(get("/")).read().status()).isEqualTo(200);
            assertThat(recorder.next(2)).extracting(Event::kind).containsExactly("started", "completed");
        }
    }

    @Test
    void aRequestWhoseClientVanishesIsStillCompletedOnce() throws Exception {
        start(Limits.defaults().withBodyTimeout(Duration.ofSeconds(2)));
        String partial = crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 100", "") + "only part";
        try (RawClient c = new RawClient(server.port())) {
            c.send(partial);
            assertThat(recorder.next(2)).containsExactly(Event.of("opened"), Event.of("started"));
        }
        List<Event> rest = recorder.next(2);
        assertThat(rest.get(0).kind()).isEqualTo("completed");
        assertThat(rest.get(0).method()).isEqualTo(Method.POST);
        assertThat(rest.get(0).in()).isEqualTo(partial.length());
        assertThat(rest.get(1)).isEqualTo(Event.of("closed"));
    }

    @Test
    void aResponseWhoseWriteFailsIsStillCompletedOnceWithItsStatus() throws Exception {
        start(Limits.defaults());
        String request = get("/stream-until-gone");
        try (RawClient c = new RawClient(server.port())) {
            c.send(request);
            c.setTimeout(300);
            assertThat(c.readRest()).contains("first"); // the head and the first chunk, then a pause
            assertThat(recorder.next(2)).containsExactly(Event.of("opened"), Event.of("started"));
        }
        release.countDown();
        List<Event> rest = recorder.next(2);
        assertThat(rest.get(0)).extracting(Event::kind, Event::method, Event::status, Event::in)
                .containsExactly("completed", Method.GET, Status.OK_200, (long) request.length());
        assertThat(rest.get(1)).isEqualTo(Event.of("closed"));
    }

    @Test
    void theServerSaysItIsStoppingFromTheMomentCloseBeginsWhileARequestStillRuns() throws Exception {
        start(Limits.defaults());
        assertThat(server.isStopping()).isFalse();
        try (RawClient c = new RawClient(server.port())) {
            c.send(get("/wait"));
            assertThat(recorder.next(2)).containsExactly(Event.of("opened"), Event.of("started"));
            Thread closer = Thread.ofVirtual().start(() -> server.close(Duration.ofSeconds(10)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!server.isStopping() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(server.isStopping()).isTrue();
            assertThat(recorder.events).as("the request is still in flight").isEmpty();
            release.countDown();
            // Answered whole. Whether it says "Connection: close" depends on whether close() has marked the
            // connection draining yet (isStopping turns true first); LifecycleTest covers the draining.
            assertThat(c.read().status()).isEqualTo(200);
            closer.join();
            assertThat(server.isStopping()).as("and stays so once stopped").isTrue();
        }
    }

    @Test
    void withoutAListenerTheServerUsesNone() {
        assertThat(ServerConfig.defaults().listener()).isSameAs(ServerListener.NONE);
    }
}
