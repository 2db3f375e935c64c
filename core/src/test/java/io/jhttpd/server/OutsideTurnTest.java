package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A turn parks the connections that step aside until its releaser has run, and comes when it is time. */
class OutsideTurnTest {

    private static final Duration LIVENESS = Duration.ofSeconds(10);

    /** Releasers that wait for the test's word before they run. */
    private final CountDownLatch letReleaserRun = new CountDownLatch(1);
    private final ThreadFactory heldReleasers = work -> Thread.ofVirtual().unstarted(() -> {
        try {
            letReleaserRun.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.run();
    });

    @Test
    void connectionsThatStepAsideWaitForTheReleaserThenGoOn() throws Exception {
        OutsideTurn turn = new OutsideTurn(heldReleasers);
        turn.tick(System.nanoTime() + 1_000 * OutsideTurn.PERIOD_NANOS);
        assertThat(turn.due()).as("due once asked for").isTrue();

        Thread[] aside = new Thread[3];
        for (int i = 0; i < aside.length; i++) {
            aside[i] = Thread.ofVirtual().start(turn::stepAside);
        }
        for (Thread t : aside) {
            awaitState(t, Thread.State.WAITING);
        }
        letReleaserRun.countDown();
        for (Thread t : aside) {
            assertThat(t.join(LIVENESS)).as("released").isTrue();
        }
        assertThat(turn.due()).as("over").isFalse();
    }

    @Test
    void steppingAsideWhenNoTurnIsDueReturnsAtOnce() throws Exception {
        OutsideTurn turn = new OutsideTurn(heldReleasers);
        Thread t = Thread.ofVirtual().start(turn::stepAside);
        assertThat(t.join(LIVENESS)).isTrue();
    }

    @Test
    void aTickAsksForATurnOnlyOnceThePeriodPassed() {
        long before = System.nanoTime();
        OutsideTurn turn = new OutsideTurn(heldReleasers);
        turn.tick(before + OutsideTurn.PERIOD_NANOS - OutsideTurn.MIN_GAP_NANOS);
        assertThat(turn.due()).as("less than a period after the start").isFalse();
        long later = before + 1_000 * OutsideTurn.PERIOD_NANOS;
        turn.tick(later);
        assertThat(turn.due()).as("a period after").isTrue();
        letReleaserRun.countDown();
    }

    @Test
    void aTurnIsNotAskedForTwiceAtOnce() throws Exception {
        int[] releasersStarted = {0};
        OutsideTurn turn = new OutsideTurn(work -> {
            releasersStarted[0]++;
            return heldReleasers.newThread(work);
        });
        long later = System.nanoTime() + 1_000 * OutsideTurn.PERIOD_NANOS;
        turn.tick(later);
        turn.tick(later + 2 * OutsideTurn.PERIOD_NANOS); // still due: no second releaser
        turn.request();
        assertThat(releasersStarted[0]).isEqualTo(1);
        letReleaserRun.countDown();
        long deadline = System.nanoTime() + LIVENESS.toNanos();
        while (turn.due() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(turn.due()).isFalse();
    }

    @Test
    void noReleaserThreadMeansNoTurn() {
        OutsideTurn turn = new OutsideTurn(work -> {
            throw new IllegalStateException("no threads left");
        });
        turn.tick(System.nanoTime() + 1_000 * OutsideTurn.PERIOD_NANOS);
        assertThat(turn.due()).as("connections must not park for a releaser that never comes").isFalse();
    }

    @Test
    void turnsThatFollowEachOtherLoseNoOneWhoStoodAside() throws Exception {
        // Back-to-back turns (the clock passed in jumps a period each time): a thread woken by the end of
        // one turn that finds the next already due must wait for that one too, and be woken by it.
        OutsideTurn turn = new OutsideTurn(Thread.ofVirtual().factory());
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        Thread[] connections = new Thread[8];
        for (int i = 0; i < connections.length; i++) {
            connections[i] = Thread.ofVirtual().start(() -> {
                for (int round = 0; round < 20_000; round++) {
                    turn.tick(clock.addAndGet(OutsideTurn.PERIOD_NANOS));
                    if (turn.due()) {
                        turn.stepAside();
                    }
                }
            });
        }
        for (Thread t : connections) {
            assertThat(t.join(Duration.ofSeconds(60))).as("every connection got through every turn").isTrue();
        }
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + LIVENESS.toNanos();
        while (t.getState() != state && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        assertThat(t.getState()).isEqualTo(state);
    }
}
