package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While pipelining clients keep every carrier busy (their next requests are always buffered, so their
 * connections never wait for bytes), a new connection and a connection woken from parking are still
 * answered. On the JDK's scheduler this is what the spare threads and outside turns are for; on the
 * own carriers, what their one first-in-first-out queue is for. The build runs it on both. Raw bytes
 * over real sockets; the bound is the client's 10 s read timeout, a liveness bound, not a timing one.
 */
class SaturationWireTest {

    /** More busy connections than carriers, so that every carrier always has one to run. */
    private static final int BUSY = 4 * Runtime.getRuntime().availableProcessors();
    /** Busy connections are not closed after 10,000 requests while the test runs. */
    private static final Limits ENDLESS = Limits.defaults().withMaxRequestsPerConnection(Integer.MAX_VALUE);

    @Test
    void aNewConnectionIsAnsweredWhileBusyOnesKeepTheCarriersFull() throws Exception {
        try (HttpServer server = TestServers.start(ENDLESS); Load load = new Load(server.port(), BUSY)) {
            load.awaitFlowing();
            for (int i = 0; i < 5; i++) {
                try (RawClient fresh = new RawClient(server.port())) {
                    assertThat(fresh.send(get("/items/" + i)).read().bodyText()).isEqualTo("item " + i);
                }
            }
            assertThat(load.failure()).as("the busy clients").isNull();
        }
    }

    @Test
    void aParkedConnectionIsWokenAndAnsweredWhileBusyOnesKeepTheCarriersFull() throws Exception {
        // A 400 ms header timeout makes the watchdog tick every 100 ms: 300 ms of silence parks a connection.
        Limits coldAfter100ms = ENDLESS.withHeaderTimeout(Duration.ofMillis(400));
        try (HttpServer server = TestServers.start(coldAfter100ms); RawClient quiet = new RawClient(server.port())) {
            assertThat(quiet.send(get("/items/first")).read().bodyText()).isEqualTo("item first");
            try (Load load = new Load(server.port(), BUSY)) {
                load.awaitFlowing();
                Thread.sleep(300); // quiet meanwhile: parked on the server's selector
                assertThat(quiet.send(get("/items/again")).read().bodyText()).isEqualTo("item again");
                assertThat(load.failure()).as("the busy clients").isNull();
            }
        }
    }

    /** Connections that pipeline requests as fast as the server takes them, each with a writer and a reader. */
    private static final class Load implements AutoCloseable {

        private static final byte[] BATCH = ("GET / HTTP/1.1\r\nHost: load\r\n\r\n".repeat(32))
                .getBytes(StandardCharsets.US_ASCII);
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong bytesRead = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopping;

        Load(int port, int connections) throws IOException {
            for (int i = 0; i < connections; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                threads.add(Thread.ofPlatform().daemon().start(() -> write(socket)));
                threads.add(Thread.ofPlatform().daemon().start(() -> read(socket)));
            }
        }

        private void write(Socket socket) {
            try {
                OutputStream out = socket.getOutputStream();
                while (!stopping) {
                    out.write(BATCH);
                }
            } catch (IOException e) {
                if (!stopping) {
                    failure.compareAndSet(null, e);
                }
            }
        }

        private void read(Socket socket) {
            byte[] sink = new byte[64 * 1024];
            try {
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(sink)) > 0) {
                    bytesRead.addAndGet(n);
                }
                if (!stopping) {
                    failure.compareAndSet(null, new IOException("the server closed a busy connection"));
                }
            } catch (IOException e) {
                if (!stopping) {
                    failure.compareAndSet(null, e);
                }
            }
        }

        /** Waits until responses flow on the busy connections (a megabyte of them). */
        void awaitFlowing() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bytesRead.get() < 1 << 20 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(bytesRead.get()).as("bytes of responses to the busy clients").isGreaterThanOrEqualTo(1 << 20);
        }

        Throwable failure() {
            return failure.get();
        }

        @Override
        public void close() throws Exception {
            stopping = true;
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }
}
