package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server runs on jhttpd's own carriers when the JVM lets it schedule virtual threads (the build
 * opens java.lang to the tests, as the server's jar does), unless {@code -Djhttpd.scheduler=jdk} asks
 * for the JDK's scheduler; the build's second test run opens nothing and gets the JDK's.
 */
class SchedulingTest {

    @Test
    void aNewServerGetsTheCarriersThisRunAllows() {
        Scheduling scheduling = Scheduling.forNewServer();
        if ("jdk".equals(System.getProperty(Scheduling.PROPERTY))) {
            // The build's second run: java.lang is not opened, as in a JVM that embeds the library plainly.
            assertThat(SchedulerAccess.available()).isFalse();
            assertThat(scheduling).isInstanceOf(SharedCarriers.class);
        } else {
            assertThat(SchedulerAccess.available()).as("the build opens java.lang to the tests").isTrue();
            assertThat(scheduling).isInstanceOf(OwnCarriers.class);
        }
        scheduling.stop();
    }

    @Test
    void thePropertyAsksForTheJdksSchedulerEvenWhereOursIsAllowed() {
        String before = System.getProperty(Scheduling.PROPERTY);
        System.setProperty(Scheduling.PROPERTY, "jdk");
        try {
            Scheduling scheduling = Scheduling.forNewServer();
            assertThat(scheduling).isInstanceOf(SharedCarriers.class);
            scheduling.stop();
        } finally {
            if (before == null) {
                System.clearProperty(Scheduling.PROPERTY);
            } else {
                System.setProperty(Scheduling.PROPERTY, before);
            }
        }
    }

    @Test
    void ownCarriersYieldMoreOftenOnlyWhenTheQueueIsLong() {
        assertThat(OwnCarriers.yieldsFor(0)).isOne();
        assertThat(OwnCarriers.yieldsFor(OwnCarriers.LONG_QUEUE)).isOne();
        assertThat(OwnCarriers.yieldsFor(OwnCarriers.LONG_QUEUE + 1)).isEqualTo(OwnCarriers.YIELDS_IN_A_LONG_QUEUE);
    }

    @Test
    void theBacklogCountsWhatWaitsForACarrier() throws Exception {
        assumeTrue(SchedulerAccess.available(), "this run does not open java.lang");
        Thread.Builder.OfVirtual builder = CarrierPool.newBuilder();
        int carriers = Runtime.getRuntime().availableProcessors();
        List<Thread> threads = new ArrayList<>();
        // Hold every carrier (a spin does not unmount its thread), then queue more.
        AtomicBoolean go = new AtomicBoolean();
        for (int i = 0; i < carriers; i++) {
            threads.add(builder.start(() -> {
                while (!go.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        int queued = 10;
        for (int i = 0; i < queued; i++) {
            threads.add(builder.start(() -> { }));
        }
        try {
            assertThat(CarrierPool.backlog()).isGreaterThanOrEqualTo(queued);
        } finally {
            go.set(true); // whatever happened: the carriers must not spin on
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(CarrierPool.backlog()).as("once they ran").isLessThan(queued);
    }

    @Test
    void sharedCarriersYieldOnlyWhileTheGateIsOpen() {
        SharedCarriers shared = SharedCarriers.create();
        assertThat(shared.yieldsBeforeRead(0)).isZero();
        assertThat(shared.yieldsBeforeRead(YieldGate.SHUT_NANOS)).isOne();
        shared.stop();
    }
}
