package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
