package dev.parley.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per second per key, with bursts of twice that (Bucket4j token buckets). Each key has
 * its own bucket, so one key's flood never slows another.
 */
final class RateLimiter {

    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond 0 turns limiting off */
    RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    void acquire(String keyId) {
        if (perSecond == 0) {
            return;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(keyId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw ApiError.rateLimited(perSecond, seconds);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(2L * perSecond).refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    }
}
