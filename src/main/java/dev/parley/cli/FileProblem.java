package dev.parley.cli;

import dev.parley.IoReason;
import java.io.IOException;

/** A file the operator named could not be used: one line with the file and the operating system's reason. */
final class FileProblem {

    private FileProblem() {
    }

    static CommandFailed reading(String file, IOException e) {
        return new CommandFailed("cannot read " + file + ": " + reason(e));
    }

    static CommandFailed writing(String file, IOException e) {
        return new CommandFailed("cannot write " + file + ": " + reason(e));
    }

    static String reason(IOException e) {
        return IoReason.of(e);
    }
}
