package dev.parley.history;

/** A write that contradicts what is already stored. */
public final class Conflict extends RuntimeException {
    public Conflict(String message) {
        super(message);
    }
}
