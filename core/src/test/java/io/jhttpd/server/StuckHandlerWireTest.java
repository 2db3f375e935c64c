package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Handlers that never give their carrier back (a call stuck in native code, a file on a dead disk, a
 * loop without pause), one per carrier, do not stop the server: other connections are still answered,
 * on relief carriers. Only on the own carriers: the JDK's scheduler adds a carrier for some file
 * writes alone, and the build's second run (without java.lang opened) skips this. Raw bytes over real
 * sockets; the bound is the client's 10 s read timeout, a liveness bound, not a timing one.
 */
class StuckHandlerWireTest {

    private static final int CARRIERS = Runtime.getRuntime().availableProcessors();

    @Test
    void requestsAreAnsweredWhileAHandlerHoldsEveryCarrier() throws Exception {
        assumeTrue(SchedulerAccess.available(), "this run does not open java.lang (SchedulingTest checks which)");
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch holding = new CountDownLatch(CARRIERS);
        Router router = new Router()
                .get("/hold", request -> {
                    holding.countDown();
                    while (!release.get()) {
                        Thread.onSpinWait();
                    }
                    return Response.ok().text("released");
                })
                .get("/", request -> Response.ok().text("Hello, World!"));
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withShutdownGrace(Duration.ofSeconds(5));
        List<RawClient> holders = new ArrayList<>();
        try (HttpServer server = HttpServer.start(config, router)) {
            try {
                for (int i = 0; i < CARRIERS; i++) {
                    holders.add(new RawClient(server.port()).send(get("/hold")));
                }
                assertThat(holding.await(10, TimeUnit.SECONDS)).as("every carrier held").isTrue();
                for (int i = 0; i < 3; i++) {
                    try (RawClient fresh = new RawClient(server.port())) {
                        assertThat(fresh.send(get("/")).read().bodyText()).isEqualTo("Hello, World!");
                    }
                }
            } finally {
                release.set(true);
            }
            for (RawClient holder : holders) {
                assertThat(holder.read().bodyText()).isEqualTo("released");
                holder.close();
            }
        }
    }
}
