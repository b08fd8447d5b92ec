package dev.parley.history;

import java.util.Map;
import java.util.UUID;

/**
 * A stored conversation as a write found it, whole, with the fingerprints of its requests that
 * have one: what an undone import puts back.
 */
public record Snapshot(Conversation conversation, Map<UUID, String> fingerprints) {

    public Snapshot {
        fingerprints = Map.copyOf(fingerprints);
    }
}
