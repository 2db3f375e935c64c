package io.jhttpd.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * jhttpd's own carriers: one first-in-first-out queue, so that what a platform thread starts or wakes
 * runs while the carriers' threads keep yielding. (On JDK 25's own scheduler the same scenes leave
 * it waiting until the yielders stop: a yield there goes back into the carrier's own queue, which is
 * read before the outside one.) The build opens java.lang to the tests, as the server's jar does to
 * itself; the build's second run does not, and skips these.
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
