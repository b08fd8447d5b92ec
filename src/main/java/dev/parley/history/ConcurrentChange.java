package dev.parley.history;

/**
 * Concurrent writes kept changing a conversation under a write, more often than it is worth
 * looking again; the client may retry at once. Not a fault of the request, and not a bug.
 */
public final class ConcurrentChange extends RuntimeException {

    ConcurrentChange(String message) {
        super(message);
    }
}
