package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server runs on jhttpd's own carriers when the JVM opens java.lang to it, unless
 * {@code -Djhttpd.scheduler=jdk} asks for the JDK's scheduler (the build's second test run does).
 */
class SchedulingTest {

    @Test
    void aNewServerGetsTheCarriersThisRunAskedFor() {
        Scheduling scheduling = Scheduling.forNewServer();
        if ("jdk".equals(System.getProperty(Scheduling.PROPERTY))) {
            assertThat(scheduling).isInstanceOf(SharedCarriers.class);
        } else {
            assertThat(scheduling).isInstanceOf(OwnCarriers.class);
        }
        scheduling.stop();
    }

    @Test
    void ownCarriersYieldBeforeEveryReadAndNeverAskForATurn() {
        OwnCarriers own = new OwnCarriers(CarrierPool.newBuilder());
        assertThat(own.yieldsBeforeRead(0)).isPositive();
        assertThat(own.yieldsBeforeRead(YieldGate.SHUT_NANOS / 2)).as("even where the JDK's gate is shut").isPositive();
        assertThat(own.turnDue()).isFalse();
    }

    @Test
    void ownCarriersYieldMoreOftenOnlyWhenTheQueueIsLong() {
        assertThat(OwnCarriers.yieldsFor(0)).isOne();
        assertThat(OwnCarriers.yieldsFor(OwnCarriers.LONG_QUEUE)).isOne();
        assertThat(OwnCarriers.yieldsFor(OwnCarriers.LONG_QUEUE + 1)).isEqualTo(OwnCarriers.YIELDS_IN_A_LONG_QUEUE);
    }

    @Test
    void theBacklogCountsWhatWaitsForACarrier() throws Exception {
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
        assertThat(CarrierPool.backlog()).isGreaterThanOrEqualTo(queued);
        go.set(true);
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
