package io.jhttpd;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsTest {

    @Test
    void aTimeoutOfForeverIsCutToTheLongestSoThatDeadlinesCannotWrap() {
        Limits limits = Limits.defaults().withBodyTimeout(ChronoUnit.FOREVER.getDuration())
                .withIdleTimeout(Duration.ofDays(365L * 1000));
        assertThat(limits.bodyTimeout()).isEqualTo(Limits.LONGEST_TIMEOUT);
        assertThat(limits.idleTimeout()).isEqualTo(Limits.LONGEST_TIMEOUT);
        assertThat(System.nanoTime() + limits.bodyTimeout().toNanos()).as("a deadline").isPositive();
        assertThat(Limits.defaults().withBodyTimeout(Duration.ofHours(1)).bodyTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesWhatNoServerCouldKeep() {
        assertThatThrownBy(() -> Limits.defaults().withMinBodyRate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.defaults().withMaxDrainBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.defaults().withBodyTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Limits.defaults().withMinBodyRate(0).minBodyRate()).as("0 turns the rate off").isZero();
    }
}
