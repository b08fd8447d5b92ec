package dev.parley.transfer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The server could not hold an import while checking it: its temporary directory is full or
 * failing. Nothing was written; the client may retry once an operator has made room.
 */
public final class SpoolUnavailable extends RuntimeException {

    SpoolUnavailable(Path directory, IOException cause) {
        super("cannot hold the import in " + directory + " while checking it: " + cause.getMessage(), cause);
    }
}
