package dev.parley.workspace;

/** A key id that names no key. */
public final class NoSuchKey extends RuntimeException {
    public NoSuchKey(String id) {
        super("no key has the id '" + id + "'");
    }
}
