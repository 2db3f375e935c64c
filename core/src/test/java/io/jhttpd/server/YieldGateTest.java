package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate is shut for the first part of every period of the clock and open for the rest. */
class YieldGateTest {

    @Test
    void isShutPartOfEveryPeriodAndOpenTheRest() {
        long base = 7 * YieldGate.PERIOD_NANOS; // any period start
        assertThat(YieldGate.open(base)).as("at a period's start").isFalse();
        assertThat(YieldGate.open(base + YieldGate.SHUT_NANOS - 1)).as("just before it opens").isFalse();
        assertThat(YieldGate.open(base + YieldGate.SHUT_NANOS)).as("once shut long enough").isTrue();
        assertThat(YieldGate.open(base + YieldGate.PERIOD_NANOS - 1)).as("at the period's end").isTrue();
        assertThat(YieldGate.open(base + YieldGate.PERIOD_NANOS)).as("at the next period's start").isFalse();
        assertThat(YieldGate.open(-base + YieldGate.SHUT_NANOS)).as("negative clock values too").isTrue();
    }
}
