package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.transfer.Import;
import dev.parley.transfer.InvalidLine;
import dev.parley.workspace.WorkspaceName;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley import FILE}: NDJSON conversations into a workspace, all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import conversations from an NDJSON file (one conversation a line, as the API returns them)."
                + " All or nothing: a bad line names its number and nothing is written.")
final class ImportCommand implements Callable<Integer> {

    /** Longer than the busy handler's longest sleep between two tries (100 ms). */
    private static final Duration SQLITE_REST = Duration.ofMillis(120);

    private final Map<String, String> env;
    private final PrintWriter err;
    private final ProgressBars bars;

    @Parameters(paramLabel = "FILE", description = "The NDJSON file ('-' for standard input).")
    String file;

    @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
            converter = KeysCommand.WorkspaceConverter.class, description = "Workspace (default: ${DEFAULT-VALUE}).")
    WorkspaceName workspace;

    ImportCommand(Map<String, String> env, PrintWriter err, ProgressBars bars) {
        this.env = env;
        this.err = err;
        this.bars = bars;
    }

    @Override
    public Integer call() {
        try (InputStream in = open();
             Parley parley = Parley.open(Config.fromEnvironment(env))) {
            long workspaceId = parley.keys().ensureWorkspace(workspace);
            long started = System.nanoTime();
            long imported;
            try (Phases phases = new Phases()) {
                imported = importer(parley).from(workspaceId, new Reading(in), Long.MAX_VALUE, phases::checked,
                        phases::stored);
            } catch (InvalidLine e) {
                throw new CommandFailed(file + ": " + e.getMessage() + "; nothing was imported");
            } catch (Reading.Failed e) {
                throw FileProblem.reading(file, e.cause);
            } catch (IOException e) {
                throw new CommandFailed("cannot import " + file + ": the temporary copy in "
                        + System.getProperty("java.io.tmpdir") + " failed: " + FileProblem.reason(e));
            }
            err.println("parley: imported " + Counts.of(imported, "conversation") + " into workspace '" + workspace
                    + "' in " + Counts.seconds(started));
            return 0;
        } catch (IOException e) {
            throw FileProblem.reading(file, e);
        }
    }

    /**
     * On SQLite, the import rests between its chunks: a {@code serve} on the same store waits for
     * the write lock by polling it (SQLite's busy handler, at most every 100 ms), and would rarely
     * find it free if the next chunk took it at once.
     */
    private Import importer(Parley parley) {
        Config config = Config.fromEnvironment(env);
        return config.databaseUrl().isEmpty() ? parley.importer().pausingBetweenChunks(SQLITE_REST)
                : parley.importer();
    }

    /** One bar while the lines are checked, then one while they are stored (its total now known). */
    private final class Phases implements AutoCloseable {
        private final ProgressBar checking = bars.start("import: checking", ProgressBars.UNKNOWN);
        private ProgressBar storing;

        void checked(long lines) {
            checking.stepTo(lines);
        }

        void stored(long conversations) {
            if (storing == null) {
                checking.close();
                storing = bars.start("import: storing", checking.getCurrent());
            }
            storing.stepTo(conversations);
        }

        @Override
        public void close() {
            if (storing == null) {
                checking.close();
            } else {
                storing.close();
            }
        }
    }

    private InputStream open() throws IOException {
        if (file.equals("-")) {
            return System.in;
        }
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
            throw FileProblem.reading(file, new FileSystemException(file, null, "is a directory"));
        }
        return Files.newInputStream(path);
    }

    /** The file being imported: its read failures are told apart from those of the temporary copy. */
    private static final class Reading extends FilterInputStream {

        static final class Failed extends IOException {
            final IOException cause;

            Failed(IOException cause) {
                super(cause);
                this.cause = cause;
            }
        }

        Reading(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new Failed(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException e) {
                throw new Failed(e);
            }
        }
    }
}
