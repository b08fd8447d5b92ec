package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.transfer.InvalidLine;
import dev.parley.workspace.WorkspaceName;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley import FILE}: NDJSON conversations into a workspace, all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import conversations from an NDJSON file (one conversation a line, as the API returns them)."
                + " All or nothing: a bad line names its number and nothing is written.")
final class ImportCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final PrintWriter err;

    @Parameters(paramLabel = "FILE", description = "The NDJSON file ('-' for standard input).")
    String file;

    @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
            converter = KeysCommand.WorkspaceConverter.class, description = "Workspace (default: ${DEFAULT-VALUE}).")
    WorkspaceName workspace;

    ImportCommand(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        if (!file.equals("-") && !Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        try (Parley parley = Parley.open(Config.fromEnvironment(env));
             InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            long workspaceId = parley.keys().ensureWorkspace(workspace);
            Progress progress = new Progress(err, "import: checked", 0);
            long imported;
            try {
                imported = parley.importer().from(workspaceId, in, Long.MAX_VALUE, progress::update);
            } catch (InvalidLine e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage() + "; nothing was imported");
            }
            progress.finishLine();
            err.println("parley: imported " + imported + " conversations into workspace '" + workspace + "'");
            return 0;
        }
    }
}
