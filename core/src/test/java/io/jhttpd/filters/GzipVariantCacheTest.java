package io.jhttpd.filters;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kept gzip variants of files: made once, by tag, within their bound. */
class GzipVariantCacheTest {

    private static final Path FILE = Path.of("/srv/site.css");

    private static GzipVariantCache.Key key(String tag) {
        return new GzipVariantCache.Key(FILE, tag, 0, 1000);
    }

    /** A compressor that counts its calls and makes {@code size} bytes. */
    private static GzipVariantCache.Compressor counting(AtomicInteger calls, int size) {
        return () -> {
            calls.incrementAndGet();
            return new byte[size];
        };
    }

    /** Waits in a compressor, which may throw only IOException. */
    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
    }

    @Test
    void aVariantIsMadeOnceThenServedAsKept() throws IOException {
        GzipVariantCache cache = new GzipVariantCache(1000);
        AtomicInteger calls = new AtomicInteger();
        byte[] first = cache.variant(key("\"a\""), counting(calls, 10));
        byte[] second = cache.variant(key("\"a\""), counting(calls, 10));
        assertThat(second).isSameAs(first);
        assertThat(calls).hasValue(1);
        assertThat(cache.size()).isEqualTo(10);
    }

    @Test
    void anotherTagOrSliceOfTheFileIsAnotherVariant() throws IOException {
        GzipVariantCache cache = new GzipVariantCache(1000);
        AtomicInteger calls = new AtomicInteger();
        cache.variant(key("\"a\""), counting(calls, 10));
        cache.variant(key("\"b\""), counting(calls, 10));
        cache.variant(new GzipVariantCache.Key(FILE, "\"a\"", 10, 990), counting(calls, 10));
        assertThat(calls).hasValue(3);
        assertThat(cache.count()).isEqualTo(3);
    }

    @Test
    void theLeastRecentlyUsedGoFirstOnceTheBoundIsPassed() throws IOException {
        GzipVariantCache cache = new GzipVariantCache(100);
        AtomicInteger calls = new AtomicInteger();
        cache.variant(key("\"a\""), counting(calls, 40));
        cache.variant(key("\"b\""), counting(calls, 40));
        cache.variant(key("\"a\""), counting(calls, 40)); // used: b is now the least recent
        cache.variant(key("\"c\""), counting(calls, 40));
        assertThat(cache.size()).isEqualTo(80);
        assertThat(calls).hasValue(3);
        cache.variant(key("\"a\""), counting(calls, 40));
        assertThat(calls).as("a was kept").hasValue(3);
        cache.variant(key("\"b\""), counting(calls, 40));
        assertThat(calls).as("b was dropped and made again").hasValue(4);
    }

    @Test
    void aVariantOverHalfTheBoundIsServedButNotKept() throws IOException {
        GzipVariantCache cache = new GzipVariantCache(100);
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.variant(key("\"big\""), counting(calls, 51))).hasSize(51);
        assertThat(cache.variant(key("\"big\""), counting(calls, 51))).hasSize(51);
        assertThat(calls).hasValue(2);
        assertThat(cache.size()).isZero();
        assertThat(cache.count()).isZero();
    }

    @Test
    void requestsThatComeWhileAVariantIsMadeWaitForItInsteadOfCompressingToo() throws Exception {
        GzipVariantCache cache = new GzipVariantCache(1000);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch making = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GzipVariantCache.Compressor slow = () -> {
            calls.incrementAndGet();
            making.countDown();
            await(release);
            return new byte[10];
        };
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> maker = threads.submit(() -> cache.variant(key("\"a\""), slow));
            assertThat(making.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<byte[]>> waiters = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                waiters.add(threads.submit(() -> cache.variant(key("\"a\""), slow)));
            }
            Thread.sleep(50); // let them reach their wait; the assertions hold however long it took
            release.countDown();
            byte[] made = maker.get(10, TimeUnit.SECONDS);
            for (Future<byte[]> waiter : waiters) {
                assertThat(waiter.get(10, TimeUnit.SECONDS)).isSameAs(made);
            }
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFailureReachesTheRequestsThatWaitedAndTheNextOneTriesAgain() throws Exception {
        CompletableFuture<byte[]> waited = waitWhileAMakerFails(new IOException("file shrank while being served"));
        assertThatThrownBy(() -> waited.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
                .cause().hasMessageContaining("file shrank");
    }

    @Test
    void aMakerWhoseThreadWasInterruptedLeavesTheVariantToTheRequestsThatWaited() throws Exception {
        // An interrupted thread's read of the file fails (ClosedByInterruptException); the file is fine.
        CompletableFuture<byte[]> waited = waitWhileAMakerFails(new java.nio.channels.ClosedByInterruptException());
        assertThat(waited.get(10, TimeUnit.SECONDS)).as("made by the request that waited").hasSize(2);
    }

    /**
     * Has one request fail with {@code failure} while making a variant another one waits for (and, were it
     * to make it, would make 2 bytes); returns what the waiting one gets. Afterwards the next request makes
     * the variant anew, or finds the waiting one's kept.
     */
    private static CompletableFuture<byte[]> waitWhileAMakerFails(IOException failure) throws Exception {
        GzipVariantCache cache = new GzipVariantCache(1000);
        CountDownLatch making = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<byte[]> waited = new CompletableFuture<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> maker = threads.submit(() -> cache.variant(key("\"a\""), () -> {
                making.countDown();
                await(release);
                throw failure;
            }));
            assertThat(making.await(10, TimeUnit.SECONDS)).isTrue();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    waited.complete(cache.variant(key("\"a\""), () -> new byte[2]));
                } catch (Throwable t) {
                    waited.completeExceptionally(t);
                }
            });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < end) {
                Thread.sleep(1); // its one wait inside the cache: for the variant being made
            }
            release.countDown();
            assertThatThrownBy(() -> maker.get(10, TimeUnit.SECONDS)).hasCause(failure);
            waiter.join();
        }
        assertThat(cache.variant(key("\"a\""), () -> new byte[3]).length).isIn(2, 3);
        return waited;
    }
}
