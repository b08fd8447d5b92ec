package dev.parley.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

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

    /** "no such file or directory", "is a directory", "permission denied", "no space left on device"... */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}
