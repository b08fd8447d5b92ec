package dev.parley.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the long streams (exports), whose pace is the client's: at most so many at once for one
 * key, and at most so many in all — no more than the store keeps connections for. Past a bound
 * the request is refused at once, honestly: 429 when the key itself has too many, 503 when the
 * server has; a few slow clients can then hold no more than their share.
 */
final class StreamSlots {

    /** When a running export might have finished: a client should not come back sooner. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final int perKey;
    private final int total;
    /** What the streams are, for the refusal: "exports". */
    private final String streams;
    private final Map<String, Integer> runningByKey = new HashMap<>();
    private int running;

    StreamSlots(int perKey, int total, String streams) {
        this.perKey = perKey;
        this.total = total;
        this.streams = streams;
    }

    /** A slot for one stream of this key, given back when closed; refused with an {@link ApiError}. */
    synchronized Slot take(String keyId) {
        int ofKey = runningByKey.getOrDefault(keyId, 0);
        if (ofKey >= perKey) {
            throw ApiError.tooManyStreamsForKey(perKey, RETRY_AFTER_SECONDS, streams);
        }
        if (running >= total) {
            throw ApiError.tooManyStreams(total, RETRY_AFTER_SECONDS, streams);
        }
        runningByKey.put(keyId, ofKey + 1);
        running++;
        return () -> give(keyId);
    }

    private synchronized void give(String keyId) {
        running--;
        runningByKey.computeIfPresent(keyId, (key, count) -> count == 1 ? null : count - 1);
    }

    /** A taken slot; closing it gives it back. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
