package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void theFirstRetryComesWithinTenSecondsAndTheSecondWithinAMinute() {
        Backoff longest = new Backoff(() -> 0.999999);
        assertThat(longest.after(1)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(longest.after(1).plus(longest.after(2))).isLessThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void waitsGrowThreefoldWithJitterUpToFourHours() {
        Backoff shortest = new Backoff(() -> 0.0);
        Backoff longest = new Backoff(() -> 0.999999);
        assertThat(shortest.after(1)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(longest.after(2)).isBetween(Duration.ofMillis(14_999), Duration.ofSeconds(15));
        assertThat(longest.after(3)).isBetween(Duration.ofMillis(44_999), Duration.ofSeconds(45));
        assertThat(longest.after(30)).isBetween(Duration.ofMinutes(239), Duration.ofHours(4));
        assertThat(shortest.after(30)).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aDeliveryIsGivenUpOnlyWhenItFailsADayAfterItsEvent() {
        long event = 1_000_000L;
        assertThat(Backoff.givesUp(event, event + Duration.ofHours(24).toMillis() - 1)).isFalse();
        assertThat(Backoff.givesUp(event, event + Duration.ofHours(24).toMillis())).isTrue();
    }

    @Test
    void evenTheShortestWaitsMakeAboutFifteenAttemptsInADay() {
        Backoff shortest = new Backoff(() -> 0.0);
        long elapsed = 0;
        int attempts = 1;
        while (elapsed < Duration.ofHours(24).toMillis()) {
            elapsed += shortest.after(attempts++).toMillis();
        }
        assertThat(attempts).isBetween(10, 25);
    }
}
