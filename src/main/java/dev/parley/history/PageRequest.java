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

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidField("limit", "must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(direction, "direction");
    }
}
