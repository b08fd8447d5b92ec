package dev.parley.bench;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.FailingQuestions;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryQuery;
import dev.parley.transfer.DemoData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long {@code GET /v2/bots/insights/failing-questions} takes on demo data, in process (the
 * HTTP edge adds a parse and a small JSON answer): the history's own read, for windows of several
 * lengths ending at the demo data's end. Not part of the test suite; run by hand:
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/classpath) dev.parley.bench.FailingQuestionsBench \
 *     CONVERSATIONS DATA_DIR [POSTGRES_URL]</pre>
 *
 * The store is filled once (demo data, seed 42) and kept in {@code DATA_DIR}/the database for
 * later runs.
 */
public final class FailingQuestionsBench {

    private static final long DAY = 86_400_000L;
    private static final int RUNS = 5;

    private FailingQuestionsBench() {
    }

    public static void main(String[] args) {
        long conversations = Long.parseLong(args[0]);
        Config config = Config.fromEnvironment(args.length > 2
                ? Map.of("PARLEY_DATA_DIR", args[1], "PARLEY_DATABASE_URL", args[2])
                : Map.of("PARLEY_DATA_DIR", args[1]));
        String store = args.length > 2 ? "PostgreSQL" : "SQLite";
        try (Parley parley = Parley.open(config)) {
            long workspace = parley.keys().ensureWorkspace(dev.parley.workspace.WorkspaceName.DEFAULT);
            long stored = parley.history().reader().stats(workspace, HistoryFilter.ALL).conversations();
            if (stored < conversations) {
                long started = System.nanoTime();
                DemoData.generate(42 + stored, conversations - stored, 1000,
                        batch -> parley.history().writer().storeWhole(workspace, batch));
                parley.history().writer().refreshStatistics();
                System.out.printf(Locale.ROOT, "%s: generated %d conversations in %.0f s%n", store,
                        conversations - stored, (System.nanoTime() - started) / 1e9);
            }
            for (int days : new int[] {7, 30, 90, 182}) {
                HistoryFilter filter = HistoryQuery.filter(Map.of("startEpoch",
                        List.of(Long.toString(DemoData.END - days * DAY)), "endEpoch",
                        List.of(Long.toString(DemoData.END + DAY))), false);
                long window = parley.history().reader().stats(workspace, filter).conversations();
                List<Double> millis = new ArrayList<>();
                FailingQuestions answer = null;
                for (int run = 0; run <= RUNS; run++) {
                    long started = System.nanoTime();
                    answer = parley.history().reader().failingQuestions(workspace, filter, 20);
                    if (run > 0) {
                        millis.add((System.nanoTime() - started) / 1e6);
                    }
                }
                double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "%s: %d conversations stored; window %d days = %d conversations,"
                                + " %d requests, %d failing, %d groups: median %.0f ms (min %.0f, max %.0f) %s%n",
                        store, conversations, days, window, answer.requests(), answer.failingRequests(),
                        answer.groups().size(), sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                        Arrays.toString(sorted));
            }
        }
    }
}
