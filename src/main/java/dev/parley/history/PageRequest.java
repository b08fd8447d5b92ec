package dev.parley.history;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One page of the newest-first order: up to {@code limit} conversations from the cursor's
 * position, in the direction given. Without a cursor a page starts at the newest conversation.
 */
public record PageRequest(int limit, Optional<UUID> cursor, Direction direction) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    static final String LIMIT_RULE = "a whole number from 1 to " + MAX_LIMIT;

    /** @throws IllegalArgumentException for a limit the parser ({@link HistoryQuery}) would have refused */
    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be " + LIMIT_RULE + ", got " + limit);
        }
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(direction, "direction");
    }
}
