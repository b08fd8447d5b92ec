package dev.parley.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.changes.ChangeJson;
import dev.parley.changes.Changes;
import dev.parley.changes.ChangesCursor;
import dev.parley.history.FeedChange;
import dev.parley.history.FeedPage;
import dev.parley.history.FeedPosition;
import dev.parley.workspace.WorkspaceName;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley follow}: the changes feed as NDJSON on standard output, one change a line, for
 * ever (like {@code tail -f}). With a cursor file it resumes after a restart where it stopped:
 * the file is written only after the lines before it are flushed, so a change may be written
 * twice across a crash (a mirror applies it again, harmlessly) but never skipped.
 */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = "Follow the changes feed: one change a line (NDJSON), for ever.")
final class FollowCommand implements Callable<Integer> {

    private static final JsonFactory JSON = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final int PAGE = 500;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** SQLite: this process hears no other process's commits, so it looks this often. */
    private static final Duration SQLITE_LOOK_EVERY = Duration.ofMillis(200);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintWriter err;

    @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
            converter = KeysCommand.WorkspaceConverter.class, description = "Workspace (default: ${DEFAULT-VALUE}).")
    WorkspaceName workspace;

    @Option(names = "--cursor-file", paramLabel = "FILE",
            description = "Resume from the cursor in this file, and keep it up to date (created when missing).")
    Path cursorFile;

    @Option(names = "--cursor", paramLabel = "CURSOR",
            description = "Start from this cursor (an export's Parley-Changes-Cursor) when the cursor file has none.")
    String cursor;

    FollowCommand(Map<String, String> env, PrintStream out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
            long workspaceId = parley.keys().ensureWorkspace(workspace);
            Changes changes = parley.changes();
            changes.hearCommitsOfOtherProcesses(SQLITE_LOOK_EVERY);
            FeedPosition position = start(changes, workspaceId);
            OutputStream lines = new BufferedOutputStream(out, 1 << 16);
            while (true) {
                FeedPage page = changes.after(workspaceId, position, PAGE, WAIT).join();
                try (JsonGenerator json = JSON.createGenerator(lines, JsonEncoding.UTF8)) {
                    json.setRootValueSeparator(null);
                    for (FeedChange change : page.changes()) {
                        ChangeJson.write(json, change);
                        json.writeRaw('\n');
                    }
                }
                lines.flush();
                if (out.checkError()) {
                    throw new CommandFailed("cannot write standard output: it was closed or failed");
                }
                position = page.next();
                // after the flush: a cursor never runs ahead of the lines written
                remember(changes.cursor(workspaceId, position));
            }
        }
    }

    private FeedPosition start(Changes changes, long workspaceId) {
        String saved = null;
        if (cursorFile != null) {
            try {
                saved = Files.readString(cursorFile, StandardCharsets.US_ASCII).strip();
            } catch (NoSuchFileException e) {
                saved = null;
            } catch (IOException e) {
                throw FileProblem.reading(cursorFile.toString(), e);
            }
        }
        boolean resuming = saved != null && !saved.isEmpty();
        String from = resuming ? saved : cursor;
        if (from == null) {
            return FeedPosition.START;
        }
        String where = resuming ? "the cursor file " + cursorFile : "--cursor";
        try {
            return changes.position(workspaceId, from);
        } catch (ChangesCursor.Invalid e) {
            throw new CommandFailed(where + " holds no cursor of workspace " + workspace.value() + "'s changes");
        } catch (ChangesCursor.Expired e) {
            throw new CommandFailed(where + ": " + e.getMessage());
        }
    }

    private void remember(String text) {
        if (cursorFile == null) {
            return;
        }
        Path temporary = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, text + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FileProblem.writing(cursorFile.toString(), e);
        }
    }
}
