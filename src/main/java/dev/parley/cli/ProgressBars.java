package dev.parley.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of the long commands (import, export, demo-data): a bar on standard error when it is
 * a terminal, nothing when it is a file or a pipe, where a bar's carriage returns would only fill
 * a log. Either way the command ends with one line that says what it did and how long it took.
 */
final class ProgressBars {

    /** A total that is not known yet: the bar counts, with the rate. */
    static final long UNKNOWN = -1;

    private final PrintStream err;
    private final boolean terminal;

    private ProgressBars(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Bars on {@code err} only when it is this process's standard error and that is a terminal. */
    static ProgressBars on(PrintStream err) {
        return new ProgressBars(err, err == System.err && standardErrorIsTerminal());
    }

    ProgressBar start(String task, long total) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed()
                .setUpdateIntervalMillis(250).clearDisplayOnFinish();
        if (terminal) {
            builder.setStyle(ProgressBarStyle.UNICODE_BLOCK).setConsumer(new ConsoleProgressBarConsumer(err));
        } else {
            builder.setConsumer(new DelegatingProgressBarConsumer(rendered -> { }));
        }
        return builder.build();
    }

    /**
     * Java 17 cannot ask whether standard error alone is a terminal ({@code System.console()}
     * looks at standard input and output, and {@code export > file} redirects the latter). On
     * Linux the descriptor's target tells; elsewhere the console is the best guess.
     */
    private static boolean standardErrorIsTerminal() {
        try {
            String target = Path.of("/proc/self/fd/2").toRealPath().toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | RuntimeException e) {
            return System.console() != null;
        }
    }
}
