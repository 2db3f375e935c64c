package io.jhttpd.server;

import io.jhttpd.http.Method;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.Version;
import io.jhttpd.wire.BufferPool;
import io.jhttpd.wire.ConnectionOutput;
import io.jhttpd.wire.ResponseWriter;
import io.jhttpd.wire.WriteWait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The carriers' own epoll, on a pool of one carrier and a real loopback socket: a read that finds
 * nothing waits for the poller's report and gets the bytes that come; a write that finds no room waits
 * for the client to read; a close by another thread ends a waiting read; and a carrier that one
 * thread holds does not keep a waiting read from its bytes. The build's runs that do not open
 * sun.nio.ch (or ask for the JDK's poller) skip these; SchedulingTest checks which run is which.
 */
class ReadinessPollerTest {

    private static final long GIVE_UP_SECONDS = 10;

    private ReadinessPoller poller;
    private CarrierPool pool;
    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel served;

    @BeforeEach
    void connect() throws IOException {
        assumeTrue(SchedulerAccess.available() && NativeEpoll.available(), "this run waits in the JDK's poller");
        poller = ReadinessPoller.createIfAvailable();
        assertThat(poller).isNotNull();
        pool = new CarrierPool(1, poller);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        served = listener.accept();
        served.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        for (var channel : new java.nio.channels.Channel[] {client, served, listener}) {
            if (channel != null) {
                channel.close();
            }
        }
    }

    @Test
    void aReadThatFindsNothingWaitsForTheBytesThatCome() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        InputStream in = new PolledSocketInput(served, readiness, served.socket().getInputStream());
        CompletableFuture<String> read = onThePool(() -> {
            byte[] b = new byte[64];
            int n = in.read(b, 0, b.length);
            return new String(b, 0, n, StandardCharsets.US_ASCII);
        });
        awaitParked(read);
        client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(read.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello");
    }

    @Test
    void thePeersEofReportedWithItsBytesOutlivesTheReadThatTookThem() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        readiness.report(NativeEpoll.EPOLLIN | NativeEpoll.EPOLLRDHUP); // one edge: the last bytes and the EOF
        readiness.clearReadable(); // the read that takes the bytes; no edge will come for the EOF
        CompletableFuture<Boolean> await = onThePool(() -> {
            readiness.awaitReadable();
            return true;
        });
        assertThat(await.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).as("the next read goes to the socket").isTrue();
    }

    @Test
    void anEofReportedForTheNumbersLastSocketIsDroppedByAReadThatFindsNothing() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        readiness.report(NativeEpoll.EPOLLRDHUP); // handled after the number went to this socket
        InputStream in = new PolledSocketInput(served, readiness, served.socket().getInputStream());
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<String> read = onThePool(() -> {
            reader.set(Thread.currentThread());
            byte[] b = new byte[64];
            int n = in.read(b, 0, b.length);
            return new String(b, 0, n, StandardCharsets.US_ASCII);
        });
        awaitParked(read);
        assertThat(reader.get().getState()).as("parked, not spinning on the stale EOF").isEqualTo(Thread.State.WAITING);
        client.write(ByteBuffer.wrap("real".getBytes(StandardCharsets.US_ASCII)));
        assertThat(read.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).isEqualTo("real");
    }

    @Test
    void aWriteThatFindsNoRoomWaitsForTheClientToRead() throws Exception {
        byte[] large = pattern(16 * 1024 * 1024); // far more than both sockets' buffers hold
        assertThat(sentWhileTheClientWaits(Response.ok().body(large, "application/octet-stream"))).isEqualTo(large);
    }

    @Test
    void aFileSentWithSendfileWaitsForRoomAndGoesOutWhole(@TempDir Path dir) throws Exception {
        byte[] large = pattern(16 * 1024 * 1024);
        Path file = Files.write(dir.resolve("large.bin"), large);
        Response response = Response.ok().body(new ResponseBody.FileRegion(file, 0, large.length));
        assertThat(sentWhileTheClientWaits(response)).isEqualTo(large);
    }

    @Test
    void aFileThatShrankWhileSentFailsTheResponseAtOnceInsteadOfWaitingForRoom(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("shrinking.bin"), pattern(1024 * 1024));
        Response response = Response.ok().body(new ResponseBody.FileRegion(file, 0, 1024 * 1024));
        try (var truncate = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            truncate.truncate(100 * 1024); // after the handler opened it, before it is sent
        }
        SocketReadiness readiness = poller.readinessOf(served);
        ConnectionOutput out = new ConnectionOutput(served, BufferPool.unpooled(ConnectionOutput.BUFFER_SIZE), readiness);
        CompletableFuture<Boolean> write = onThePool(() -> {
            new ResponseWriter(out, "test").write(response, Method.GET, Version.HTTP_1_1, true);
            return true;
        });
        // sendfile finds the end of the file with room in the socket: no room report would ever come
        assertThatThrownBy(() -> write.get(GIVE_UP_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class).cause().hasMessageContaining("File shrank");
    }

    @Test
    void aLongResponseBoundsWhatTheSocketHoldsUnsentAndAShortOneLeavesItAlone(@TempDir Path dir) throws Exception {
        assumeTrue(UnsentLimit.available(), "this JVM does not let jhttpd set socket options by number");
        byte[] shortBody = pattern(WriteWait.UNSENT_LIMIT);
        assertThat(received(written(Response.ok().body(shortBody, "application/octet-stream")))).isEqualTo(shortBody);
        assertThat(notSentLowWatermark(served)).as("the kernel's default: no limit").isNotEqualTo(WriteWait.UNSENT_LIMIT);

        byte[] large = pattern(16 * 1024 * 1024); // far more than both sockets' buffers hold
        Path file = Files.write(dir.resolve("large.bin"), large);
        Response response = Response.ok().body(new ResponseBody.FileRegion(file, 0, large.length));
        assertThat(sentWhileTheClientWaits(response)).isEqualTo(large);
        assertThat(notSentLowWatermark(served)).isEqualTo(WriteWait.UNSENT_LIMIT);
    }

    /** The socket's {@code TCP_NOTSENT_LOWAT}, read the way {@link UnsentLimit} sets it. */
    private static int notSentLowWatermark(SocketChannel channel) throws Exception {
        java.lang.reflect.Method getFd = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredMethod("getFD");
        getFd.setAccessible(true);
        java.lang.reflect.Method get = Class.forName("sun.nio.ch.Net").getDeclaredMethod("getIntOption0",
                java.io.FileDescriptor.class, boolean.class, int.class, int.class);
        get.setAccessible(true);
        return (int) get.invoke(null, getFd.invoke(channel), false, 6, 25); // IPPROTO_TCP, TCP_NOTSENT_LOWAT
    }

    /** Writes the response on the pool while the client waits before reading; returns the body it got. */
    private byte[] sentWhileTheClientWaits(Response response) throws Exception {
        CompletableFuture<Long> write = written(response);
        awaitParked(write);
        return received(write);
    }

    /** Starts writing the response on the pool; completes with the bytes written. */
    private CompletableFuture<Long> written(Response response) {
        SocketReadiness readiness = poller.readinessOf(served);
        ConnectionOutput out = new ConnectionOutput(served, BufferPool.unpooled(ConnectionOutput.BUFFER_SIZE), readiness);
        return onThePool(() -> {
            new ResponseWriter(out, "test").write(response, Method.GET, Version.HTTP_1_1, true);
            out.flush();
            return out.bytesWritten();
        });
    }

    /** Reads the response {@code write} sends; returns its body, once the write is done and took as many bytes. */
    private byte[] received(CompletableFuture<Long> write) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long length = -1;
        int headEnd = -1;
        while (length < 0 || received.size() < headEnd + length) {
            if (client.read(chunk.clear()) < 0) {
                break;
            }
            received.write(chunk.array(), 0, chunk.position());
            if (headEnd < 0) {
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    headEnd = end + 4;
                    int at = text.indexOf("Content-Length: ") + "Content-Length: ".length();
                    length = Long.parseLong(text.substring(at, text.indexOf('\r', at)));
                }
            }
        }
        assertThat(write.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).isEqualTo(received.size());
        byte[] all = received.toByteArray();
        return java.util.Arrays.copyOfRange(all, headEnd, all.length);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 13));
        }
        return bytes;
    }

    @Test
    void aCloseByAnotherThreadEndsAWaitingRead() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        InputStream in = new PolledSocketInput(served, readiness, served.socket().getInputStream());
        CompletableFuture<Integer> read = onThePool(() -> in.read(new byte[64], 0, 64));
        awaitParked(read);
        readiness.close(); // as Connection closes its channel from another thread
        assertThatThrownBy(() -> read.get(GIVE_UP_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClosedChannelException.class);
    }

    @Test
    void anInterruptedWaitClosesTheSocketAsAnInterruptibleChannelWould() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        InputStream in = new PolledSocketInput(served, readiness, served.socket().getInputStream());
        AtomicReference<Thread> reader = new AtomicReference<>();
        CompletableFuture<Integer> read = onThePool(() -> {
            reader.set(Thread.currentThread());
            return in.read(new byte[64], 0, 64);
        });
        awaitParked(read);
        reader.get().interrupt();
        assertThatThrownBy(() -> read.get(GIVE_UP_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClosedByInterruptException.class);
        assertThat(served.isOpen()).isFalse();
    }

    @Test
    void theEpollIsPolledAgainAfterAReliefCarrierThatPolledRetires() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        InputStream in = new PolledSocketInput(served, readiness, served.socket().getInputStream());
        CompletableFuture<Integer> read = onThePool(() -> in.read(new byte[64], 0, 64));
        awaitParked(read);
        // Hold the one carrier with work queued behind it, so that a relief carrier comes, runs the
        // work, then waits in the epoll in its place; let the carrier go while the relief waits there.
        AtomicBoolean release = new AtomicBoolean();
        CompletableFuture<Boolean> spinner = holdTheCarrierUntil(release);
        CompletableFuture<Boolean> queued = onThePool(() -> true);
        assertThat(queued.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).as("run by a relief carrier").isTrue();
        release.set(true);
        assertThat(spinner.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).isTrue();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        while (pool.carriers() > 1 && System.nanoTime() < end) {
            Thread.sleep(5); // until the relief carrier has left
        }
        assertThat(pool.carriers()).as("the relief carrier left").isEqualTo(1);
        client.write(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII)));
        assertThat(read.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void workQueuedForTheCarrierInTheEpollRunsWhenAnotherPollTookItsWakeUp() throws Exception {
        // Another thread polls the epoll without pause while work is queued, and passes nothing on: it
        // takes the eventfd's edge sent to wake the carrier waiting there, which then sleeps on with the
        // work queued, and no later work sends another edge (one is on its way). Once that thread stops,
        // the work must run all the same.
        AtomicBoolean stealing = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread thief = Thread.ofPlatform().daemon().start(() -> {
            long events = poller.takeEventArray();
            try {
                while (!stop.get()) {
                    if (stealing.get()) {
                        poller.poll(events, 0);
                    } else {
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                poller.giveEventArray(events);
            }
        });
        try {
            for (int i = 0; i < 20; i++) {
                Thread.sleep(1); // the carrier goes back to its wait in the epoll
                stealing.set(true);
                CompletableFuture<Boolean> work = onThePool(() -> true);
                Thread.sleep(30);
                stealing.set(false);
                assertThat(work.get(GIVE_UP_SECONDS, TimeUnit.SECONDS)).as("work item " + i).isTrue();
            }
        } finally {
            stop.set(true);
            thief.join();
        }
    }

    @Test
    void aSocketThatNeverWaitedIsForgottenWhateverItsNumber() throws Exception {
        // Sockets register at their first wait, so the table may never have grown to a closed one's number.
        SocketReadiness neverWaited = new SocketReadiness(poller, served, 1_000_000);
        poller.unregister(neverWaited);
        SocketReadiness waited = poller.readinessOf(served);
        client.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.US_ASCII)));
        waited.awaitReadable(); // registers it
        poller.unregister(waited);
        poller.unregister(waited);
    }

    @Test
    void aCarrierHeldByOneThreadDoesNotKeepAWaitingReadFromItsBytes() throws Exception {
        SocketReadiness readiness = poller.readinessOf(served);
        InputStream in = new PolledSocketInput(served, readiness, served.socket().getInputStream());
        AtomicBoolean readDone = new AtomicBoolean();
        CompletableFuture<Integer> read = onThePool(() -> {
            int n = in.read(new byte[64], 0, 64);
            readDone.set(true);
            return n;
        });
        awaitParked(read);
        // The pool's one carrier spins in this thread until the read is done (or for the give-up time):
        // only a relief carrier, told of the bytes by the monitor's look into the epoll, can end it.
        CompletableFuture<Boolean> spinner = holdTheCarrierUntil(readDone);
        client.write(ByteBuffer.wrap("late".getBytes(StandardCharsets.US_ASCII)));
        assertThat(spinner.get(2 * GIVE_UP_SECONDS, TimeUnit.SECONDS)).as("the read ended while the carrier was held").isTrue();
        assertThat(read.get()).isEqualTo(4);
    }

    /**
     * Holds the pool's one carrier in a thread that spins, never yielding, until {@code done} (or for the
     * give-up time); returns once it spins, with whether it saw {@code done}.
     */
    private CompletableFuture<Boolean> holdTheCarrierUntil(AtomicBoolean done) throws InterruptedException {
        CountDownLatch spinning = new CountDownLatch(1);
        CompletableFuture<Boolean> spinner = onThePool(() -> {
            spinning.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
            while (!done.get() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return done.get();
        });
        assertThat(spinning.await(GIVE_UP_SECONDS, TimeUnit.SECONDS)).isTrue();
        return spinner;
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> CompletableFuture<T> onThePool(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        pool.builder().start(() -> {
            try {
                result.complete(work.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Waits until the pool's threads have nothing to run (the work waits in the epoll), or it is done. */
    private static void awaitParked(CompletableFuture<?> work) throws InterruptedException {
        Thread.sleep(100); // time to reach its wait; the assertions that follow hold however long it took
        assertThat(work).as("nothing to read or no room yet: it waits").isNotDone();
    }
}
