package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate opens and shuts with the clock; neither state lasts longer than a period. */
class YieldGateTest {

    @Test
    void isShutPartOfEveryPeriodAndOpenTheRest() {
        long end = System.nanoTime() + 3 * YieldGate.PERIOD_NANOS;
        boolean sawOpen = false;
        boolean sawShut = false;
        while (System.nanoTime() < end || !(sawOpen && sawShut)) {
            boolean open = YieldGate.open();
            sawOpen |= open;
            sawShut |= !open;
            if (System.nanoTime() - end > 1_000_000_000L) {
                break; // a stalled clock or machine: report what was seen
            }
        }
        assertThat(sawOpen).as("open at some time").isTrue();
        assertThat(sawShut).as("shut at some time").isTrue();
    }
}
