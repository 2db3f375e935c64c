package io.jhttpd.server;

import io.jhttpd.Limits;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections that wait for their next request without a thread: parked on the server's selector,
 * woken by their bytes, closed by the idle timeout or by shutdown. Raw bytes over a real socket.
 */
class IdleParkingWireTest {

    /** A 400 ms header timeout makes the watchdog tick every 100 ms: 300 ms of silence is a cold gap. */
    private static final Limits COLD_AFTER_100_MS = Limits.defaults().withHeaderTimeout(Duration.ofMillis(400));

    /** The acceptor itself, so that a test can see how many connections are parked. */
    private static final class Server implements AutoCloseable {
        final ServerSocketChannel listener;
        final Acceptor acceptor;

        Server(Limits limits) throws IOException {
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            acceptor = Acceptor.start(listener, limits, TestServers.testRouter(), ErrorHandler.PLAIN_TEXT, "jhttpd",
                    io.jhttpd.ServerListener.NONE);
        }

        RawClient client() throws IOException {
            return new RawClient(((InetSocketAddress) listener.getLocalAddress()).getPort());
        }

        int parked() {
            return acceptor.parkedConnections();
        }

        @Override
        public void close() throws InterruptedException {
            acceptor.stop(Duration.ofSeconds(5));
        }
    }

    private static void await(String what, IntSupplier actual, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(actual.getAsInt()).as(what).isEqualTo(expected);
    }

    @Test
    void parksAConnectionAfterItsResponseAndServesItsNextRequestOnANewThread() throws Exception {
        try (Server server = new Server(COLD_AFTER_100_MS); RawClient c = server.client()) {
            for (int round = 0; round < 3; round++) {
                assertThat(c.send(get("/items/" + round)).read().bodyText()).isEqualTo("item " + round);
                await("parked after response " + round, server::parked, 1);
                Thread.sleep(300); // a cold gap: it parks again after the next response
            }
            assertThat(server.acceptor.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void servesARequestWhoseBytesArriveSplitAroundThePark() throws Exception {
        try (Server server = new Server(COLD_AFTER_100_MS); RawClient c = server.client()) {
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            await("parked", server::parked, 1);
            Thread.sleep(300); // a cold gap: it parks again after the next response

            c.send("GET /items/split HT"); // wakes it: the rest of the head comes on its new thread
            await("woken by the first bytes", server::parked, 0);
            Thread.sleep(50);
            assertThat(c.send("TP/1.1\r\nHost: a\r\n\r\n").read().bodyText()).isEqualTo("item split");

            await("parked again", server::parked, 1);
            Thread.sleep(300);
            c.send(crlf("GET /items/a HTTP/1.1", "Host: a", "") + "GET /items/b HTTP/1.1\r\nHo");
            Thread.sleep(50);
            c.send("st: a\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("item a");
            assertThat(c.read().bodyText()).isEqualTo("item b");

            await("parked again", server::parked, 1);
            Thread.sleep(300);
            c.send(crlf("POST /echo HTTP/1.1", "Host: a", "Content-Length: 10", "") + "012");
            Thread.sleep(50);
            Reply echoed = c.send("3456789").read();
            assertThat(echoed.bodyText()).isEqualTo("0123456789");
        }
    }

    @Test
    void servesARequestSentTheMomentTheResponseArrivesWhileTheConnectionParks() throws Exception {
        // the next request races the park (no bytes yet -> register with the selector): it must wake it
        try (Server server = new Server(Limits.defaults())) {
            for (int i = 0; i < 200; i++) {
                try (RawClient c = server.client()) {
                    assertThat(c.send(get("/items/" + i)).read().bodyText()).isEqualTo("item " + i);
                    assertThat(c.send(get("/items/again" + i)).read().bodyText()).isEqualTo("item again" + i);
                }
            }
        }
    }

    @Test
    void closesAParkedConnectionWhenTheIdleTimeoutPasses() throws Exception {
        Limits limits = Limits.defaults().withIdleTimeout(Duration.ofMillis(300));
        try (Server server = new Server(limits); RawClient c = server.client()) {
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            await("parked", server::parked, 1);
            assertThat(c.isClosedByServer()).as("closed after the idle timeout").isTrue();
            await("forgotten", server.acceptor::openConnections, 0);
            assertThat(server.parked()).isZero();
        }
    }

    @Test
    void forgetsAParkedConnectionWhosePeerCloses() throws Exception {
        try (Server server = new Server(Limits.defaults())) {
            try (RawClient c = server.client()) {
                assertThat(c.send(get("/")).read().status()).isEqualTo(200);
                await("parked", server::parked, 1);
            }
            await("forgotten after the peer's EOF", server.acceptor::openConnections, 0);
            assertThat(server.parked()).isZero();
        }
    }

    @Test
    void shutdownClosesParkedConnectionsAtOnce() throws Exception {
        Server server = new Server(Limits.defaults());
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawClient c = server.client();
                clients.add(c);
                assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            }
            await("parked", server::parked, 3);
            // a grace far longer than the test's wait: parked connections must not wait it out
            CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.acceptor.stop(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (RawClient c : clients) {
                assertThat(c.isClosedByServer()).as("parked connection closed by shutdown").isTrue();
            }
            assertThat(stopping.get(5, TimeUnit.SECONDS)).as("stopped cleanly, without waiting out the grace").isTrue();
            assertThat(server.parked()).isZero();
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void shutdownRacingWakeUpsServesOrClosesEachConnectionButNeverHalfAnswers() throws Exception {
        int n = 100;
        Server server = new Server(Limits.defaults());
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RawClient c = server.client();
                clients.add(c);
                assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            }
            await("all parked", server::parked, n);
            CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.acceptor.stop(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < n; i++) {
                try {
                    clients.get(i).send(get("/items/" + i));
                } catch (IOException closedAlready) {
                    // shutdown got there first
                }
            }
            for (int i = 0; i < n; i++) {
                Reply r;
                try {
                    r = clients.get(i).read();
                } catch (IOException e) {
                    assertThat(e.getMessage()).as("closed before any byte of a response, or reset")
                            .containsAnyOf("after 0 bytes", "reset", "Broken pipe");
                    continue;
                }
                assertThat(r.bodyText()).isEqualTo("item " + i);
                assertThat(clients.get(i).isClosedByServer()).as("closed after its answer").isTrue();
            }
            assertThat(stopping.get(10, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
            assertThat(server.acceptor.openConnections()).isZero();
            assertThat(server.parked()).isZero();
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void wakesManyParkedConnectionsAndServesEachItsOwnRequest() throws Exception {
        int n = 200;
        try (Server server = new Server(Limits.defaults())) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    RawClient c = server.client();
                    clients.add(c);
                    assertThat(c.send(get("/items/first" + i)).read().bodyText()).isEqualTo("item first" + i);
                }
                await("all parked", server::parked, n);
                for (int i = 0; i < n; i++) {
                    clients.get(i).send(get("/items/" + i));
                }
                for (int i = n - 1; i >= 0; i--) {
                    assertThat(clients.get(i).read().bodyText()).isEqualTo("item " + i);
                }
                assertThat(server.acceptor.openConnections()).isEqualTo(n);
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void keepsABusyConnectionOnItsThreadAndParksItOnceItWentQuietAcrossATick() throws Exception {
        // a 2 s header timeout: the watchdog ticks every 500 ms, so back-to-back requests are hot
        Limits limits = Limits.defaults().withHeaderTimeout(Duration.ofSeconds(2));
        try (Server server = new Server(limits); RawClient c = server.client()) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.send(get("/items/" + i)).read().bodyText()).isEqualTo("item " + i);
            }
            Thread.sleep(1_200); // quiet across two ticks: the watchdog trims it, still on its thread
            assertThat(server.parked()).as("a hot connection waits on its thread").isZero();
            assertThat(c.send(get("/items/after")).read().bodyText()).isEqualTo("item after");
            await("parked after its first request following the quiet spell", server::parked, 1);
        }
    }
}
