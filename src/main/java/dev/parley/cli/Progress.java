package dev.parley.cli;

import java.io.PrintWriter;

/**
 * Progress of long work on standard error: a bar on a terminal, a line every few seconds
 * otherwise. A total of 0 means the total is not known: then it counts.
 */
final class Progress {

    private static final long LINE_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long lastLine = started;

    Progress(PrintWriter err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (total <= 0) {
            if (terminal) {
                err.print("\r" + what + " " + done + " " + rate(done, now));
                err.flush();
            } else if (now - lastLine >= LINE_EVERY_NANOS) {
                err.println(what + ": " + done + " " + rate(done, now));
                lastLine = now;
            }
        } else if (terminal) {
            int width = 30;
            int filled = total == 0 ? width : (int) (width * done / total);
            err.print("\r" + what + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                    + " " + rate(done, now));
            err.flush();
        } else if (now - lastLine >= LINE_EVERY_NANOS) {
            err.println(what + ": " + done + "/" + total + " " + rate(done, now));
            lastLine = now;
        }
    }

    /** Ends a terminal's progress line, so that what follows starts on its own. */
    void finishLine() {
        if (terminal) {
            err.println();
        }
    }

    void done() {
        long now = System.nanoTime();
        if (terminal) {
            err.println();
        }
        err.printf("%s: done, %d in %.1f s (%s)%n", what, total, (now - started) / 1e9, rate(total, now));
    }

    private String rate(long done, long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        return String.format("%.0f/s", done / seconds);
    }
}
