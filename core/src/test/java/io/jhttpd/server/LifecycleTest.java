package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Start, the connection cap, and graceful stop. */
class LifecycleTest {

    private static ServerConfig config(Limits limits) {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withLimits(limits)
                .withShutdownGrace(Duration.ofSeconds(5));
    }

    @Test
    void gracefulStopFinishesInFlightRequestsClosesIdleOnesAndRefusesNewOnes() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router router = new Router()
                .get("/", r -> Response.ok().text("hi"))
                .get("/slow", r -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return Response.ok().text("finished");
                });
        HttpServer server = HttpServer.start(config(Limits.defaults()), router);
        int port = server.port();
        try (RawClient idle = new RawClient(port); RawClient busy = new RawClient(port)) {
            assertThat(idle.send(get("/")).read().status()).isEqualTo(200);
            busy.send(get("/slow"));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> server.close(Duration.ofSeconds(5)));
            assertThat(idle.isClosedByServer()).as("idle connection closed at once").isTrue();
            release.countDown();
            Reply r = busy.read();
            assertThat(r.bodyText()).isEqualTo("finished");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(closing.get(5, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThat(server.close(Duration.ofSeconds(1))).as("closing twice is harmless").isTrue();
        }
    }

    @Test
    void refusesConnectionsPastTheCapWith503AndKeepsServingTheOthers() throws IOException {
        try (HttpServer server = HttpServer.start(config(Limits.defaults().withMaxConnections(2)),
                new Router().get("/", r -> Response.ok().text("hi")));
             RawClient first = new RawClient(server.port());
             RawClient second = new RawClient(server.port())) {
            assertThat(first.send(get("/")).read().status()).isEqualTo(200);
            assertThat(second.send(get("/")).read().status()).isEqualTo(200);
            try (RawClient third = new RawClient(server.port())) {
                Reply refused = third.send(get("/")).read();
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Connection")).isEqualTo("close");
            }
            assertThat(first.send(get("/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void closesAfterTheLastRequestAllowedPerConnection() throws IOException {
        try (HttpServer server = HttpServer.start(config(Limits.defaults().withMaxRequestsPerConnection(3)),
                new Router().get("/", r -> Response.ok().text("hi")));
             RawClient c = new RawClient(server.port())) {
            assertThat(c.send(get("/")).read().header("Connection")).isNull();
            assertThat(c.send(get("/")).read().header("Connection")).isNull();
            assertThat(c.send(get("/")).read().header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void closesAConnectionWhoseClientStopsReading() throws Exception {
        byte[] big = new byte[32 * 1024 * 1024];
        try (HttpServer server = HttpServer.start(config(Limits.defaults().withWriteTimeout(Duration.ofMillis(300))),
                new Router().get("/big", r -> Response.ok().body(big, "application/octet-stream")));
             RawClient c = new RawClient(server.port())) {
            c.send(get("/big")); // and never read
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.openConnections()).as("stalled connection closed").isZero();
        }
    }

    /**
     * A client that reads, however slowly, is not a stalled one: each write that makes progress restarts
     * the write timeout. For a file, the socket fills up and sendfile gives way to blocking writes,
     * which must carry on from the right offset.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSlowReaderGetsTheWholeBodyPastTheWriteTimeout(boolean fromFile, @TempDir Path dir) throws Exception {
        byte[] big = new byte[24 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);
        Path file = Files.write(dir.resolve("big.bin"), big);
        Router router = new Router().get("/big", r -> fromFile
                ? Response.ok().file(file, "application/octet-stream")
                : Response.ok().body(big, "application/octet-stream"));
        try (HttpServer server = HttpServer.start(config(Limits.defaults().withWriteTimeout(Duration.ofSeconds(1))), router);
             Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream().write(get("/big").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            // Slower than the server can write for 2.5 write timeouts, fast enough that each blocked
            // write sees room within a fraction of one (half of a 4 MiB send buffer at 6 MB/s or more).
            long slowUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            int n;
            while ((n = in.read(chunk)) >= 0) {
                received.write(chunk, 0, n);
                if (System.nanoTime() < slowUntil) {
                    Thread.sleep(5);
                }
                if (received.size() >= big.length) {
                    String all = received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
                    int bodyStart = all.indexOf("\r\n\r\n") + 4;
                    if (bodyStart > 3 && received.size() - bodyStart == big.length) {
                        break;
                    }
                }
            }
            byte[] all = received.toByteArray();
            String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            assertThat(text).startsWith("HTTP/1.1 200 ");
            assertThat(all.length - bodyStart).as("body bytes received").isEqualTo(big.length);
            assertThat(java.util.Arrays.mismatch(java.util.Arrays.copyOfRange(all, bodyStart, all.length), big))
                    .as("first differing byte").isEqualTo(-1);
        }
    }

    @Test
    void servesAConnectionAgainAfterItsIdleBuffersWereLetGo() throws Exception {
        // a 200 ms header timeout makes the watchdog tick every 50 ms, so 400 ms idle spans several ticks
        Limits limits = Limits.defaults().withHeaderTimeout(Duration.ofMillis(200));
        try (HttpServer server = HttpServer.start(config(limits), io.jhttpd.testing.TestServers.testRouter());
             RawClient c = new RawClient(server.port())) {
            for (int round = 0; round < 3; round++) {
                assertThat(c.send(get("/items/" + round)).read().bodyText()).isEqualTo("item " + round);
                Thread.sleep(400);
            }
            String bigHead = io.jhttpd.testing.Wire.crlf("GET /items/big HTTP/1.1", "Host: a", "X-Pad: " + "p".repeat(2000), "");
            c.send(bigHead + get("/items/after"));
            assertThat(c.read().bodyText()).isEqualTo("item big");
            assertThat(c.read().bodyText()).isEqualTo("item after");
            Thread.sleep(400);
            c.send(io.jhttpd.testing.Wire.crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 3000", "") + "b".repeat(3000));
            assertThat(c.read().bodyText()).isEqualTo("b".repeat(3000));
        }
    }

    @Test
    void portZeroPicksAFreePortAndABusyPortFailsToBind() throws IOException {
        try (HttpServer server = HttpServer.start(config(Limits.defaults()), r -> Response.ok())) {
            assertThat(server.port()).isPositive();
            assertThatThrownBy(() -> HttpServer.start(config(Limits.defaults()).withPort(server.port()), r -> Response.ok()))
                    .isInstanceOf(java.net.BindException.class);
        }
    }

    /**
     * The listener gets the kernel's largest accept queue, not a smaller fixed one: a burst of thousands
     * of connects (wrk opening 9,000) overflowed a queue of 1,024 faster than the accept loop drained
     * it, and each dropped handshake cost its client a retransmission. {@code ss} (iproute2, which
     * {@code ./test} installs) reports a listener's queue size as its Send-Q.
     */
    @Test
    void listensWithTheSystemsLargestBacklog() throws Exception {
        Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
        assumeTrue(Files.isReadable(somaxconn), "Linux only");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")),
                "ss (iproute2) is not installed");
        int systemMax = Integer.parseInt(Files.readAllLines(somaxconn).get(0).trim());
        try (HttpServer server = HttpServer.start(config(Limits.defaults()), new Router())) {
            Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + server.port()).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertThat(ss.waitFor()).as(out).isZero();
            String[] fields = out.split("\\s+"); // State Recv-Q Send-Q Local Peer
            assertThat(Integer.parseInt(fields[2])).as(out).isEqualTo(Math.min(systemMax, ServerConfig.SYSTEM_MAX_BACKLOG));
        }
    }
}
