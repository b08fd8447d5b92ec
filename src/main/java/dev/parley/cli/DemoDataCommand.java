package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.WorkspaceName;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley demo-data}: realistic generated history, reproducible by seed. */
@Command(name = "demo-data", mixinStandardHelpOptions = true,
        description = "Generate realistic conversations into a workspace (for demos and benchmarks).")
final class DemoDataCommand implements Callable<Integer> {

    private static final int BATCH = 1000;

    private final Map<String, String> env;
    private final PrintWriter err;

    @Option(names = "--conversations", required = true, paramLabel = "N", description = "How many conversations.")
    long conversations;

    @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
            converter = KeysCommand.WorkspaceConverter.class, description = "Workspace (default: ${DEFAULT-VALUE}).")
    WorkspaceName workspace;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    DemoDataCommand(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (conversations < 1) {
            throw new IllegalArgumentException("--conversations must be at least 1, got " + conversations);
        }
        try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
            long workspaceId = parley.keys().ensureWorkspace(workspace);
            Progress progress = new Progress(err, "demo-data", conversations);
            AtomicLong written = new AtomicLong();
            DemoData.generate(seed, conversations, BATCH, batch -> {
                parley.history().storeWhole(workspaceId, batch);
                progress.update(written.addAndGet(batch.size()));
            });
            parley.history().refreshStatistics();
            progress.done();
            return 0;
        }
    }
}
