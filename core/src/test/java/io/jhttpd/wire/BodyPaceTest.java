package io.jhttpd.wire;

import io.jhttpd.Limits;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic of a body's waits, with the time passed in: no clock, no socket. */
class BodyPaceTest {

    private static final long MS = 1_000_000L;
    private static final Limits LIMITS = Limits.defaults().withBodyTimeout(Duration.ofSeconds(30)).withMinBodyRate(100);

    @Test
    void aFreshBodyWaitsTheBodyTimeout() {
        BodyPace pace = new BodyPace(LIMITS);
        assertThat(pace.nextWaitMillis()).isEqualTo(30_000);
        assertThat(pace.timedOut().getMessage()).isEqualTo("Request body timeout");
    }

    @Test
    void waitsAddUpAgainstTheAllowanceAndBytesEarnMore() {
        BodyPace pace = new BodyPace(LIMITS);
        pace.waited(20_000 * MS, 1); // 20 s for one byte: 10 ms earned
        assertThat(pace.nextWaitMillis()).isEqualTo(10_010);
        pace.waited(10_000 * MS, 1);
        assertThat(pace.nextWaitMillis()).isEqualTo(20);
        assertThat(pace.timedOut().getMessage()).isEqualTo("Request body arrived too slowly");
        pace.waited(30 * MS, 0);
        assertThat(pace.nextWaitMillis()).as("spent: the next read may not wait").isEqualTo(1);
    }

    @Test
    void aBodyFasterThanTheRateOnlyMeetsThePerReadTimeout() {
        BodyPace pace = new BodyPace(LIMITS);
        for (int i = 0; i < 1_000; i++) {
            pace.waited(100 * MS, 20); // 200 bytes/s, twice the rate, for 100 s
        }
        assertThat(pace.nextWaitMillis()).isEqualTo(30_000);
    }

    @Test
    void resetStartsTheNextBodyAfresh() {
        BodyPace pace = new BodyPace(LIMITS);
        pace.waited(29_000 * MS, 0);
        pace.reset();
        assertThat(pace.nextWaitMillis()).isEqualTo(30_000);
    }

    @Test
    void aRateOfZeroLeavesOnlyThePerReadTimeout() {
        BodyPace pace = new BodyPace(LIMITS.withMinBodyRate(0));
        pace.waited(1_000_000 * MS, 0);
        assertThat(pace.nextWaitMillis()).isEqualTo(30_000);
    }

    @Test
    void anEnormousBodyAtTheSmallestRateNeverWrapsTheAllowance() {
        BodyPace pace = new BodyPace(LIMITS.withMinBodyRate(1));
        for (long received = 0; received < 10_000_000_000L; received += Integer.MAX_VALUE) {
            pace.waited(1_000 * MS, Integer.MAX_VALUE);
        }
        assertThat(pace.nextWaitMillis()).isEqualTo(30_000);
        assertThat(pace.timedOut().getMessage()).isEqualTo("Request body timeout");
    }
}
