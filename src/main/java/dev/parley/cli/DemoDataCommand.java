package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.HistoryWriter;
import dev.parley.transfer.ConcurrentBatches;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.WorkspaceName;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley demo-data}: realistic generated history, reproducible by seed. */
@Command(name = "demo-data", mixinStandardHelpOptions = true,
        description = "Generate realistic conversations into a workspace (for demos and benchmarks).")
final class DemoDataCommand implements Callable<Integer> {

    private static final int BATCH = 1000;

    private final Map<String, String> env;
    private final PrintWriter err;
    private final ProgressBars bars;

    @Option(names = "--conversations", required = true, paramLabel = "N", description = "How many conversations.")
    long conversations;

    @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
            converter = KeysCommand.WorkspaceConverter.class, description = "Workspace (default: ${DEFAULT-VALUE}).")
    WorkspaceName workspace;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    DemoDataCommand(Map<String, String> env, PrintWriter err, ProgressBars bars) {
        this.env = env;
        this.err = err;
        this.bars = bars;
    }

    @Override
    public Integer call() {
        if (conversations < 1) {
            throw new IllegalArgumentException("--conversations must be at least 1, got " + conversations);
        }
        try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
            long workspaceId = parley.keys().ensureWorkspace(workspace);
            long started = System.nanoTime();
            HistoryWriter writer = parley.history().writer();
            try (ProgressBar bar = bars.start("demo-data", conversations);
                 ConcurrentBatches batches = new ConcurrentBatches(writer.wholeBatchesAtOnce(), batch -> {
                     writer.storeWhole(workspaceId, batch);
                     bar.stepBy(batch.size());
                 })) {
                DemoData.generate(seed, conversations, BATCH, batches);
                batches.finish();
                writer.afterGeneratedLoad();
            }
            err.println("parley: generated " + Counts.of(conversations, "conversation") + " in workspace '"
                    + workspace + "' in " + Counts.seconds(started));
            return 0;
        }
    }
}
