package io.jhttpd.server;

import org.junit.jupiter.api.Test;

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
        assertThat(own.yieldBeforeRead(0)).isTrue();
        assertThat(own.yieldBeforeRead(YieldGate.SHUT_NANOS / 2)).as("even where the JDK's gate is shut").isTrue();
        assertThat(own.turnDue()).isFalse();
    }

    @Test
    void sharedCarriersYieldOnlyWhileTheGateIsOpen() {
        SharedCarriers shared = SharedCarriers.create();
        assertThat(shared.yieldBeforeRead(0)).isFalse();
        assertThat(shared.yieldBeforeRead(YieldGate.SHUT_NANOS)).isTrue();
        shared.stop();
    }
}
