package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.files.StaticFiles;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Slow clients are cut off on the configured timeouts while everyone else is still served; clients
 * that vanish leave nothing behind; a graceful stop under load loses no request a handler started.
 * Deadlines here bound liveness (a generous "within"), never how fast the server is.
 */
class HostileClientsTest {

    private static final Duration LIVENESS = Duration.ofSeconds(15);

    private static ServerConfig config(Limits limits) {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withLimits(limits)
                .withShutdownGrace(Duration.ofSeconds(5));
    }

    /** What one slow client saw: the status line it got (or null), and whether the server then closed. */
    private record Outcome(String statusLine, boolean closed, long millis, boolean stillSending) {
    }

    /**
     * Slowloris: heads trickled a byte at a time, never finished. Each is answered 408 and closed once
     * {@code headerTimeout} has passed since its first byte, and not before; meanwhile a normal client on
     * another connection gets its answer within a second, every time it asks.
     */
    @Test
    void slowlorisHeadsAreCutOffWith408WhileANormalClientIsServed() throws Exception {
        Duration headerTimeout = Duration.ofMillis(1_500);
        try (HttpServer server = TestServers.start(Limits.defaults().withHeaderTimeout(headerTimeout));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = server.port();
            List<Future<Outcome>> slow = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                slow.add(pool.submit(trickle(port, "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "a".repeat(200), 50)));
            }
            assertNormalClientServedWhile(port, headerTimeout.toMillis());
            for (Future<Outcome> f : slow) {
                Outcome o = f.get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
                assertThat(o.statusLine()).startsWith("HTTP/1.1 408");
                assertThat(o.closed()).as("closed after the 408").isTrue();
                assertThat(o.millis()).as("not cut off before the header timeout")
                        .isGreaterThanOrEqualTo(headerTimeout.toMillis() - 50);
                // The head takes over 10 s to trickle: the timeout counts from its first byte, so a
                // client that keeps sending is still cut off, in the middle of its head.
                assertThat(o.stillSending()).as("cut off while still trickling").isTrue();
            }
            awaitNoConnections(server);
        }
    }

    /**
     * Slow POST: a body that stops arriving is answered 408 and closed after {@code bodyTimeout} of
     * silence, while a normal client is served within a second. (The timeout is between reads, as
     * nginx's client_body_timeout: a body that keeps trickling is bounded by maxBodyBytes and the
     * connection cap instead; see SECURITY.md.)
     */
    @Test
    void aStalledBodyIsCutOffWith408WhileANormalClientIsServed() throws Exception {
        Duration bodyTimeout = Duration.ofMillis(800);
        try (HttpServer server = TestServers.start(Limits.defaults().withBodyTimeout(bodyTimeout));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = server.port();
            List<Future<Outcome>> slow = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String head = crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 100000", "") + "partial body";
                slow.add(pool.submit(trickle(port, head, 0)));
                String chunked = crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + "10\r\nonly a";
                slow.add(pool.submit(trickle(port, chunked, 0)));
            }
            assertNormalClientServedWhile(port, bodyTimeout.toMillis());
            for (Future<Outcome> f : slow) {
                Outcome o = f.get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
                assertThat(o.statusLine()).startsWith("HTTP/1.1 408");
                assertThat(o.closed()).isTrue();
                assertThat(o.millis()).isGreaterThanOrEqualTo(bodyTimeout.toMillis() - 50);
            }
            awaitNoConnections(server);
        }
    }

    /**
     * A body that sends a byte just before each read would time out passes the per-read timeout forever;
     * the least body rate cuts it off once its waits add up to the body timeout plus what its few bytes
     * earned (here 0.8 s + 10 ms a byte, reached after about three bytes).
     */
    @Test
    void aBodyTrickledJustFastEnoughForEachReadIsCutOffByTheLeastRate() throws Exception {
        Limits limits = Limits.defaults().withBodyTimeout(Duration.ofMillis(800)).withMinBodyRate(100);
        try (HttpServer server = TestServers.start(limits);
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) LIVENESS.toMillis());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 1000", "").getBytes(StandardCharsets.US_ASCII));
            int sent = 0;
            long deadline = System.nanoTime() + LIVENESS.toNanos();
            while (in.available() == 0 && System.nanoTime() < deadline) {
                out.write('x');
                out.flush();
                sent++;
                Thread.sleep(300);
            }
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("Request body arrived too slowly");
            assertThat(sent).as("bytes sent, one each 300 ms, before the answer").isBetween(2, 10);
        }
    }

    /**
     * Sends {@code text}, one byte every {@code delayMillis} (all at once when 0), then waits; stops
     * sending as soon as the server answers, and reports what it answered.
     */
    private static Callable<Outcome> trickle(int port, String text, long delayMillis) {
        return () -> {
            long start = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout((int) LIVENESS.toMillis());
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                int sent = 0;
                if (delayMillis == 0) {
                    out.write(bytes);
                    sent = bytes.length;
                } else {
                    while (sent < bytes.length && in.available() == 0) {
                        out.write(bytes[sent++]);
                        out.flush();
                        Thread.sleep(delayMillis);
                    }
                }
                byte[] answer = in.readAllBytes(); // until the server closes
                long millis = (System.nanoTime() - start) / 1_000_000;
                String response = new String(answer, StandardCharsets.ISO_8859_1);
                int eol = response.indexOf("\r\n");
                return new Outcome(eol < 0 ? null : response.substring(0, eol), true, millis, sent < bytes.length);
            }
        };
    }

    /** A normal client, on a fresh connection each time, is answered within a second, for {@code forMillis}. */
    private static void assertNormalClientServedWhile(int port, long forMillis) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMillis);
        int served = 0;
        do {
            try (RawClient c = new RawClient(port)) {
                c.setTimeout(1_000);
                assertThat(c.send(get("/")).read().status()).isEqualTo(200);
                served++;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        assertThat(served).isPositive();
    }

    /**
     * Clients that reset mid-head, mid-body or mid-response, close mid-chunk, or never read a response
     * they asked for: afterwards no connection (and so no connection thread) is left, and the process
     * holds no more file descriptors than before (sockets and the served file's channel alike).
     */
    @Test
    void clientsThatVanishLeakNoConnectionThreadOrDescriptor(@TempDir Path root) throws Exception {
        assumeProcFs();
        byte[] big = new byte[16 * 1024 * 1024];
        Files.write(root.resolve("big.bin"), big);
        Router router = TestServers.testRouter().get("/files/{path...}", new StaticFiles(root));
        Limits limits = Limits.defaults().withWriteTimeout(Duration.ofMillis(500)).withBodyTimeout(Duration.ofSeconds(2));
        try (HttpServer server = HttpServer.start(config(limits), router)) {
            int port = server.port();
            vanishingClients(port, server, 2); // warm up: classes loaded, lazily opened files open
            long fdsBefore = openFds();
            int threadsBefore = connectionThreads();
            long directBefore = directBufferBytes();
            vanishingClients(port, server, 30);
            awaitNoConnections(server);
            long deadline = System.nanoTime() + LIVENESS.toNanos();
            while (openFds() > fdsBefore + 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(openFds()).as("file descriptors after 30 rounds of vanishing clients")
                    .isLessThanOrEqualTo(fdsBefore + 2);
            assertThat(connectionThreads()).as("live jhttpd-conn threads").isLessThanOrEqualTo(threadsBefore);
            // Buffers: the connection's own are heap arrays, gone with it; the JDK's temporary direct
            // buffers for socket I/O are cached per carrier thread, so they may not grow with rounds.
            assertThat(directBufferBytes()).as("direct buffer memory after 30 rounds")
                    .isLessThanOrEqualTo(directBefore + 4L * 1024 * 1024);
            try (RawClient c = new RawClient(port)) {
                assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            }
        }
    }

    private static void vanishingClients(int port, HttpServer server, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            resetAfter(port, "GET / HTTP/1.1\r\nHost: a\r\nX-Hal", 0);
            resetAfter(port, crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 100000", "") + "x".repeat(1000), 0);
            resetAfter(port, get("/files/big.bin"), 64 * 1024);
            resetAfter(port, crlf("POST /echo HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "") + "100\r\nabc", -1);
            resetAfter(port, get("/stream"), 10);
        }
        // Never reads a 16 MiB file it asked for: the write-stall watchdog must close it.
        List<Socket> deaf = new ArrayList<>();
        for (int i = 0; i < Math.max(1, rounds / 5); i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.getOutputStream().write(get("/files/big.bin").getBytes(StandardCharsets.ISO_8859_1));
            deaf.add(s);
        }
        long deadline = System.nanoTime() + LIVENESS.toNanos();
        while (connectionThreads() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(connectionThreads()).as("the thread dump sees the deaf clients' connection threads").isPositive();
        awaitNoConnections(server);
        for (Socket s : deaf) {
            s.close();
        }
    }

    /**
     * Sends {@code request}, reads {@code readBytes} of the answer, then leaves: with a TCP reset
     * (SO_LINGER 0), or with a plain close when {@code readBytes} is -1.
     */
    private static void resetAfter(int port, String request, int readBytes) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        if (readBytes > 0) {
            s.getInputStream().readNBytes(readBytes);
        }
        if (readBytes >= 0) {
            s.setSoLinger(true, 0);
        }
        s.close();
    }

    /**
     * Graceful stop under load: twenty keep-alive clients in a loop; close() in the middle. Every request
     * a handler started is answered in full (with Connection: close), the stop completes within its
     * grace, and new connections are refused.
     */
    @Test
    void aGracefulStopUnderLoadLosesNoRequestAHandlerStarted() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Router router = new Router().get("/work", r -> {
            started.incrementAndGet();
            Thread.sleep(20);
            return Response.ok().text("done");
        });
        HttpServer server = HttpServer.start(config(Limits.defaults()), router);
        int port = server.port();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger closeHeaders = new AtomicInteger();
        AtomicBoolean badAnswer = new AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> {
                    try (RawClient c = new RawClient(port)) {
                        while (true) {
                            RawClient.Reply r = c.send(get("/work")).read();
                            if (r.status() != 200 || !r.bodyText().equals("done")) {
                                badAnswer.set(true);
                            }
                            answered.incrementAndGet();
                            if ("close".equals(r.header("Connection"))) {
                                closeHeaders.incrementAndGet();
                                return null;
                            }
                        }
                    } catch (IOException gone) {
                        return null; // closed while idle, or refused: no handler ran for it
                    }
                });
            }
            long deadline = System.nanoTime() + LIVENESS.toNanos();
            while (started.get() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.close(Duration.ofSeconds(10))).as("every connection ended within the grace").isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
        assertThat(badAnswer).isFalse();
        assertThat(answered.get()).as("answers received vs handlers started").isEqualTo(started.get());
        assertThat(closeHeaders.get()).as("in-flight requests at stop were told Connection: close").isPositive();
    }

    private static void awaitNoConnections(HttpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + LIVENESS.toNanos();
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.openConnections()).as("open connections").isZero();
    }

    private static void assumeProcFs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
    }

    private static long directBufferBytes() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(pool -> pool.getName().equals("direct"))
                .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Live connection threads, virtual ones included, from a JSON thread dump. */
    private static int connectionThreads() throws IOException {
        Path dump = Files.createTempFile("threads", ".json");
        Files.delete(dump);
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            bean.dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            String json = Files.readString(dump);
            int count = 0;
            for (int i = json.indexOf("\"jhttpd-conn-"); i >= 0; i = json.indexOf("\"jhttpd-conn-", i + 1)) {
                count++;
            }
            return count;
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
