package io.jhttpd.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jhttpd's own carriers: one first-in-first-out queue, so that what a platform thread starts or wakes
 * runs while the carriers' threads keep yielding. (On JDK 25's own scheduler the same scenes leave
 * it waiting until the yielders stop: a yield there goes back into the carrier's own queue, which is
 * read before the outside one.) And a carrier that one thread holds (stuck in the kernel, or never
 * giving it back) is relieved while others wait. The build opens java.lang to the tests, as the
 * server's jar does to itself; the build's second run does not, and skips these.
 */
class CarrierPoolTest {

    /** More yielding threads than carriers: on the JDK's scheduler every carrier's own queue stays full. */
    private static final int YIELDERS = 4 * Runtime.getRuntime().availableProcessors();
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(3);

    @BeforeEach
    void onlyWhereTheJdkTakesOurScheduler() {
        assumeTrue(SchedulerAccess.available(), "this run does not open java.lang (SchedulingTest checks which)");
    }

    @Test
    void carriersAreOnePerCoreUnlessAWholeNumberInRangeIsAskedFor() {
        assertThat(CarrierPool.carrierCount(null, 8)).isEqualTo(8);
        assertThat(CarrierPool.carrierCount("1", 8)).isEqualTo(1);
        assertThat(CarrierPool.carrierCount(" 3 ", 8)).isEqualTo(3);
        assertThat(CarrierPool.carrierCount("256", 8)).isEqualTo(256);
        for (String refused : new String[] {"0", "-1", "257", "two", "", "1.5"}) {
            assertThat(CarrierPool.carrierCount(refused, 8)).as(refused).isEqualTo(8);
        }
    }

    @Test
    void aThreadStartedFromOutsideRunsWhileOthersKeepYielding() throws Exception {
        assertThat(ranWhileOthersYield(CarrierPool.newBuilder(), (builder, done) -> builder.start(done::countDown)))
                .as("started by a platform thread while every carrier has yielders").isTrue();
    }

    @Test
    void aThreadUnparkedFromOutsideRunsWhileOthersKeepYielding() throws Exception {
        assertThat(ranWhileOthersYield(CarrierPool.newBuilder(), (builder, done) -> {
            AtomicBoolean unparked = new AtomicBoolean();
            Thread sleeper = builder.start(() -> {
                while (!unparked.get()) {
                    LockSupport.park();
                }
                done.countDown();
            });
            Thread.sleep(50); // let it park; the yielders are running by then
            unparked.set(true);
            LockSupport.unpark(sleeper);
        })).as("unparked by a platform thread while every carrier has yielders").isTrue();
    }

    @Test
    void aCarrierHeldByOneThreadIsRelievedSoThatTheOthersRun() throws Exception {
        CarrierPool pool = new CarrierPool(1, null); // a pool of its own: the test holds every carrier it has
        AtomicBoolean release = holdTheOnlyCarrier(pool);
        try {
            assertThat(aNewThreadRuns(pool)).as("ran while the only carrier was held").isTrue();
            assertThat(pool.reliefs()).isEqualTo(1);
        } finally {
            release.set(true);
        }
        awaitCarriers(pool, 1);
    }

    @Test
    void aCarrierStuckForLongIsRelievedAgainAfterItsReliefLeft() throws Exception {
        CarrierPool pool = new CarrierPool(1, null);
        AtomicBoolean release = holdTheOnlyCarrier(pool);
        try {
            assertThat(aNewThreadRuns(pool)).as("the first ran on a relief carrier").isTrue();
            awaitCarriers(pool, 1); // the relief found nothing more to do and left; the carrier is still held
            assertThat(aNewThreadRuns(pool)).as("the second ran on a new relief carrier").isTrue();
            assertThat(pool.reliefs()).isEqualTo(2);
        } finally {
            release.set(true);
        }
    }

    @Test
    void aCarrierBlockedInTheKernelIsRelieved() throws Exception {
        Path fifo = Files.createTempDirectory("jhttpd-fifo").resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        CarrierPool pool = new CarrierPool(1, null);
        CountDownLatch opening = new CountDownLatch(1);
        try {
            // Opening a FIFO for reading blocks in the kernel until a writer opens it: a native call,
            // so the virtual thread keeps its carrier (a file on a slow disk does the same).
            pool.builder().start(() -> {
                opening.countDown();
                try (InputStream in = new FileInputStream(fifo.toFile())) {
                    in.read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            opening.await();
            Thread.sleep(50); // let it block
            assertThat(aNewThreadRuns(pool)).as("ran while the only carrier was blocked").isTrue();
        } finally {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write('x'); // lets the blocked thread go
            }
        }
        awaitCarriers(pool, 1);
    }

    @Test
    void aThreadThatKeepsItsCarrierWhileNothingElseWaitsGetsNoRelief() throws Exception {
        CarrierPool pool = new CarrierPool(1, null);
        AtomicBoolean release = holdTheOnlyCarrier(pool);
        try {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(5 * CarrierPool.TICK_NANOS));
            assertThat(pool.reliefs()).as("no one waits, so no relief").isZero();
        } finally {
            release.set(true);
        }
    }

    @Test
    void aThreadTheJdksMasterPollerWokeRunsEveryFewTurnsHoweverLongTheQueue() throws Exception {
        assertThat(mostTurnsBetweenRunsOfAThreadWokenBy(CarrierPool.JDK_MASTER_POLLER))
                .as("turns of others between two runs of a poller helper, with %d others waiting", QUEUED)
                .isLessThanOrEqualTo(CarrierPool.LANE_DISTANCE + 1);
    }

    @Test
    void anyOtherThreadWaitsForTheWholeQueue() throws Exception {
        assertThat(mostTurnsBetweenRunsOfAThreadWokenBy("some-platform-thread"))
                .as("turns of others between two runs of an ordinary thread, with %d others waiting", QUEUED)
                .isGreaterThan(4 * (CarrierPool.LANE_DISTANCE + 1));
    }

    @Test
    void aThreadTheMasterPollerWokeIsForgottenOnceItIsGone() throws Exception {
        CarrierPool pool = new CarrierPool(1, null);
        wakeByTheMasterPollerAndEnd(pool);
        for (int i = 0; i < 50 && pool.pollerHelpers() > 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(pool.pollerHelpers()).as("known once it is gone and collected").isZero();
    }

    /** A thread of the pool parks, the master poller wakes it, and it ends; no reference to it is kept. */
    private static void wakeByTheMasterPollerAndEnd(CarrierPool pool) throws InterruptedException {
        Thread sleeper = pool.builder().start(LockSupport::park);
        awaitParked(sleeper);
        Thread.ofPlatform().name(CarrierPool.JDK_MASTER_POLLER).start(() -> LockSupport.unpark(sleeper)).join();
        sleeper.join();
    }

    @Test
    void aThreadTheMasterPollerWokeIsKnownWhileItLives() throws Exception {
        CarrierPool pool = new CarrierPool(1, null);
        AtomicBoolean stop = new AtomicBoolean();
        Thread helper = pool.builder().start(() -> {
            while (!stop.get()) {
                LockSupport.park();
            }
        });
        try {
            awaitParked(helper);
            Thread.ofPlatform().name(CarrierPool.JDK_MASTER_POLLER).start(() -> LockSupport.unpark(helper)).join();
            awaitParked(helper);
            System.gc();
            assertThat(pool.pollerHelpers()).isOne();
        } finally {
            stop.set(true);
            LockSupport.unpark(helper);
        }
    }

    /** Yielders in the queue while a thread woken by the master poller (or not) takes its turns. */
    private static final int QUEUED = 1_000;

    /**
     * On a pool of one carrier with {@link #QUEUED} yielders, a thread parks, a platform thread named
     * {@code waker} unparks it, and it yields ten times: the most yielder turns between two of its runs.
     */
    private static long mostTurnsBetweenRunsOfAThreadWokenBy(String waker) throws Exception {
        CarrierPool pool = new CarrierPool(1, null);
        AtomicLong turns = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch yielding = new CountDownLatch(QUEUED);
        for (int i = 0; i < QUEUED; i++) {
            pool.builder().start(() -> {
                yielding.countDown();
                long deadline = System.nanoTime() + GIVE_UP_NANOS;
                while (!stop.get() && System.nanoTime() - deadline < 0) {
                    turns.incrementAndGet();
                    Thread.yield();
                }
            });
        }
        AtomicLong most = new AtomicLong(-1);
        CountDownLatch done = new CountDownLatch(1);
        Thread helper = pool.builder().start(() -> {
            LockSupport.park();
            for (int i = 0; i < 10; i++) {
                long before = turns.get();
                Thread.yield();
                most.accumulateAndGet(turns.get() - before, Math::max);
            }
            done.countDown();
        });
        try {
            yielding.await();
            awaitParked(helper); // else the unpark finds it still parking, and its carrier queues it
            Thread.ofPlatform().name(waker).start(() -> LockSupport.unpark(helper)).join();
            assertThat(done.await(10, TimeUnit.SECONDS)).as("the woken thread ran its turns").isTrue();
        } finally {
            stop.set(true);
        }
        return most.get();
    }

    /** Waits until {@code thread} is parked (its state is WAITING), at most ten seconds. */
    static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertThat(thread.getState()).as("the thread parked").isEqualTo(Thread.State.WAITING);
    }

    /**
     * Starts a thread that spins on the pool's one carrier, never giving it back (as a call stuck in
     * native code would), until the returned flag is set; returns once it spins.
     */
    private static AtomicBoolean holdTheOnlyCarrier(CarrierPool pool) throws InterruptedException {
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch holding = new CountDownLatch(1);
        pool.builder().start(() -> {
            holding.countDown();
            while (!release.get()) {
                Thread.onSpinWait();
            }
        });
        holding.await();
        return release;
    }

    /** Whether a thread started on the pool now runs within five seconds. */
    private static boolean aNewThreadRuns(CarrierPool pool) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        pool.builder().start(ran::countDown);
        return ran.await(5, TimeUnit.SECONDS);
    }

    /** Relief carriers leave once the carrier they stood in for is back. */
    private static void awaitCarriers(CarrierPool pool, int carriers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.carriers() != carriers && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertThat(pool.carriers()).as("carriers once the stuck one is back").isEqualTo(carriers);
    }

    private interface Scene {
        void act(Thread.Builder.OfVirtual builder, CountDownLatch done) throws Exception;
    }

    /**
     * Starts yielders that yield until {@code done} or for three seconds, then plays the scene from this
     * platform thread; true when the scene's thread ran before the yielders gave up.
     */
    private static boolean ranWhileOthersYield(Thread.Builder.OfVirtual builder, Scene scene) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch yielding = new CountDownLatch(YIELDERS);
        AtomicBoolean gaveUp = new AtomicBoolean();
        List<Thread> yielders = new ArrayList<>();
        for (int i = 0; i < YIELDERS; i++) {
            yielders.add(builder.start(() -> {
                yielding.countDown();
                long deadline = System.nanoTime() + GIVE_UP_NANOS;
                while (done.getCount() > 0) {
                    if (System.nanoTime() - deadline > 0) {
                        gaveUp.set(true);
                        return;
                    }
                    Thread.yield();
                }
            }));
        }
        yielding.await();
        scene.act(builder, done);
        for (Thread t : yielders) {
            t.join();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).as("the scene's thread ran at all").isTrue();
        return !gaveUp.get();
    }
}
