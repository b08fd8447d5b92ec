package dev.parley.webhook;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: 5 s after the first attempt, then three times longer
 * each time (15 s, 45 s, 2¼ min, ~7 min, ~20 min, 1 h, 3 h), at most 4 h apart; each wait is
 * drawn at random between half of that and all of it, so that endpoints that failed together do
 * not all come back at once. The first retry so comes within 5 s and the second within 15 s. A
 * delivery is given up only when it fails {@link #RETRY_FOR} or more after its event: retries go
 * on for at least that long, about fifteen attempts in all.
 */
final class Backoff {

    static final Duration FIRST = Duration.ofSeconds(5);
    static final Duration LONGEST = Duration.ofHours(4);
    static final Duration RETRY_FOR = Duration.ofHours(24);
    private static final int FACTOR = 3;

    private final DoubleSupplier random;

    Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The wait before the next attempt, after {@code attempts} attempts have failed. */
    Duration after(int attempts) {
        long millis = FIRST.toMillis();
        for (int i = 1; i < attempts && millis < LONGEST.toMillis(); i++) {
            millis *= FACTOR;
        }
        millis = Math.min(millis, LONGEST.toMillis());
        return Duration.ofMillis((long) (millis * (0.5 + 0.5 * random.getAsDouble())));
    }

    /** True when an attempt that failed at {@code now} was the last: the event is a day old. */
    static boolean givesUp(long occurredAt, long now) {
        return now - occurredAt >= RETRY_FOR.toMillis();
    }
}
