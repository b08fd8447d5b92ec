package dev.parley.history;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A page of conversations, newest first, with the cursors to the pages around it (SPEC §2). */
public record Page(List<Conversation> conversations, boolean hasMore, Optional<UUID> nextCursor,
                   Optional<UUID> prevCursor) {

    public Page {
        conversations = List.copyOf(conversations);
    }
}
