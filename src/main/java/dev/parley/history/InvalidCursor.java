package dev.parley.history;

/** A cursor that names no conversation of this workspace; it never says whether another has it. */
public final class InvalidCursor extends RuntimeException {
    public InvalidCursor() {
        super("cursor must be the id of a conversation from an earlier page of this workspace"
                + " (nextCursor or prevCursor)");
    }
}
