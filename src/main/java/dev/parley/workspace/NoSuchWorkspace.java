package dev.parley.workspace;

/** A workspace name that names no workspace. */
public final class NoSuchWorkspace extends RuntimeException {
    public NoSuchWorkspace(String name) {
        super("no workspace is named '" + name + "'");
    }
}
