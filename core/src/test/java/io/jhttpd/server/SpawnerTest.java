package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Work asked for by platform threads gets a virtual thread; spares take work and are let go on stop. */
class SpawnerTest {

    private static final Duration LIVENESS = Duration.ofSeconds(10);
    private final ThreadFactory threads = Thread.ofVirtual().name("test-conn-", 0).factory();
    private final OutsideTurn turn = new OutsideTurn(Thread.ofVirtual().factory());

    @Test
    void workSpawnedByAPlatformThreadRunsOnAVirtualThreadOfItsOwn() throws Exception {
        Spawner spawner = new Spawner(threads, turn);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        spawner.spawn(() -> ranOn.complete(Thread.currentThread()), () -> abandoned.set(true));
        Thread t = ranOn.get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
        assertThat(t.isVirtual()).isTrue();
        assertThat(t).isNotSameAs(Thread.currentThread());
        assertThat(abandoned).isFalse();
        spawner.stop();
    }

    @Test
    void aParkedSpareTakesTheNextWorkAndCarriesItsName() throws Exception {
        Spawner spawner = new Spawner(threads, turn);
        onVirtualThread(() -> spawner.start(() -> { })); // no spare yet: a new thread, and a spare on its way
        awaitParkedSpares(spawner, 1);
        CompletableFuture<String> name = new CompletableFuture<>();
        onVirtualThread(() -> spawner.start(() -> name.complete(Thread.currentThread().getName())));
        assertThat(name.get(LIVENESS.toSeconds(), TimeUnit.SECONDS)).startsWith("jhttpd-conn-s");
        spawner.stop();
    }

    @Test
    void stopLetsTheSparesGoAndLaterWorkStillRuns() throws Exception {
        Spawner spawner = new Spawner(threads, turn);
        for (int i = 0; i < 3; i++) {
            onVirtualThread(() -> spawner.start(() -> { }));
        }
        awaitParkedSpares(spawner, 1);
        spawner.stop();
        assertThat(spawner.parkedSpares()).isZero();
        CompletableFuture<String> name = new CompletableFuture<>();
        onVirtualThread(() -> spawner.start(() -> name.complete(Thread.currentThread().getName())));
        assertThat(name.get(LIVENESS.toSeconds(), TimeUnit.SECONDS)).startsWith("test-conn-");
    }

    @Test
    void workThatGetsNoThreadIsAbandonedNotLost() {
        ThreadFactory exhausted = work -> {
            throw new IllegalStateException("no memory for another stack");
        };
        Spawner spawner = new Spawner(exhausted, turn);
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean abandoned = new AtomicBoolean();
        spawner.spawn(() -> ran.set(true), () -> abandoned.set(true));
        assertThat(abandoned).as("its fallback ran").isTrue();
        assertThat(ran).isFalse();
    }

    private static void onVirtualThread(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(LIVENESS.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitParkedSpares(Spawner spawner, int n) throws InterruptedException {
        long deadline = System.nanoTime() + LIVENESS.toNanos();
        while (spawner.parkedSpares() < n && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        assertThat(spawner.parkedSpares()).isGreaterThanOrEqualTo(n);
    }
}
