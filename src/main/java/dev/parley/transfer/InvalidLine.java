package dev.parley.transfer;

import java.util.Optional;

/** An import line that cannot be taken: its number, the field at fault if one is, and why. */
public final class InvalidLine extends RuntimeException {

    private final long line;
    private final Optional<String> field;

    InvalidLine(long line, Optional<String> field, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
        this.field = field;
    }

    public long line() {
        return line;
    }

    public Optional<String> field() {
        return field;
    }
}
