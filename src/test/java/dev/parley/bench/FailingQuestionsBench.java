package dev.parley.bench;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.FailingQuestions;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryQuery;
import dev.parley.transfer.DemoData;
import dev.parley.store.Database;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * ({@code -Dwindows=7,30} picks the window lengths, in days; default 7, 30, 90 and 182).
 *
 * The store is filled once (demo data, seed 42) and kept in {@code DATA_DIR}/the database for
 * later runs; a store made elsewhere (the shared 1,000,000 conversations) is used as it is. The
 * first open applies any pending migration: the time it took is printed. With each answer's wall
 * time goes the CPU time of the thread that asked (on SQLite the store's work too: a shared,
 * loaded machine stretches the first, not the second). Beside each window's
 * answer it times the bare read of the window's rows of {@code failing_requests} over plain
 * JDBC (the same columns, nothing grouped): the floor the answer cannot go under.
 */
public final class FailingQuestionsBench {

    private static final long DAY = 86_400_000L;
    private static final int RUNS = 5;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private FailingQuestionsBench() {
    }

    public static void main(String[] args) {
        long conversations = Long.parseLong(args[0]);
        Config config = Config.fromEnvironment(args.length > 2
                ? Map.of("PARLEY_DATA_DIR", args[1], "PARLEY_DATABASE_URL", args[2])
                : Map.of("PARLEY_DATA_DIR", args[1]));
        String store = args.length > 2 ? "PostgreSQL" : "SQLite";
        long opening = System.nanoTime();
        try (Parley parley = Parley.open(config)) {
            System.out.printf(Locale.ROOT, "%s: opened, migrations included, in %.1f s%n", store,
                    (System.nanoTime() - opening) / 1e9);
            long workspace = parley.keys().ensureWorkspace(dev.parley.workspace.WorkspaceName.DEFAULT);
            long stored = parley.history().reader().stats(workspace, HistoryFilter.ALL).conversations();
            if (stored < conversations) {
                long started = System.nanoTime();
                DemoData.generate(42 + stored, conversations - stored, 1000,
                        batch -> parley.history().writer().storeWhole(workspace, batch));
                parley.history().writer().afterBulkLoad();
                System.out.printf(Locale.ROOT, "%s: generated %d conversations in %.0f s%n", store,
                        conversations - stored, (System.nanoTime() - started) / 1e9);
            }
            String windows = System.getProperty("windows", "7,30,90,182");
            for (int days : Arrays.stream(windows.split(",")).filter(w -> !w.isBlank()).mapToInt(Integer::parseInt)
                    .toArray()) {
                HistoryFilter filter = HistoryQuery.filter(Map.of("startEpoch",
                        List.of(Long.toString(DemoData.END - days * DAY)), "endEpoch",
                        List.of(Long.toString(DemoData.END + DAY))), false);
                long window = parley.history().reader().stats(workspace, filter).conversations();
                List<Double> millis = new ArrayList<>();
                List<Double> cpuMillis = new ArrayList<>();
                FailingQuestions answer = null;
                for (int run = 0; run <= RUNS; run++) {
                    long started = System.nanoTime();
                    long cpuStarted = THREADS.getCurrentThreadCpuTime();
                    answer = parley.history().reader().failingQuestions(workspace, filter, 20);
                    if (run > 0) {
                        millis.add((System.nanoTime() - started) / 1e6);
                        cpuMillis.add((THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e6);
                    }
                }
                double cpu = cpuMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray()[RUNS / 2];
                double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] bare = bareReads(config, workspace, filter);
                System.out.printf(Locale.ROOT, "%s: %d conversations stored; window %d days = %d conversations,"
                                + " %d requests, %d failing, %d groups: median %.0f ms (min %.0f, max %.0f) %s,"
                                + " this thread's CPU %.0f ms;"
                                + " bare read of the rows: median %.0f ms %s%n",
                        store, conversations, days, window, answer.requests(), answer.failingRequests(),
                        answer.groups().size(), sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                        Arrays.toString(sorted), cpu, bare[bare.length / 2], Arrays.toString(bare));
            }
        }
    }

    /** The window's rows of failing_requests read over plain JDBC, as often as the answer: sorted times in ms. */
    private static double[] bareReads(Config config, long workspace, HistoryFilter filter) {
        String url = config.databaseUrl().orElse("jdbc:sqlite:" + config.dataDir().resolve(Database.SQLITE_FILE));
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            List<Double> millis = new ArrayList<>();
            for (int run = 0; run <= RUNS; run++) {
                long started = System.nanoTime();
                try (PreparedStatement query = connection.prepareStatement("SELECT conversation_id,"
                        + " conversation_created_at, question, escalation, thumbs_down, uncited, categories, created_at"
                        + " FROM failing_requests WHERE workspace_id = ? AND conversation_created_at >= ?"
                        + " AND conversation_created_at < ?")) {
                    query.setFetchSize(5000);
                    query.setLong(1, workspace);
                    query.setLong(2, filter.startEpoch().orElseThrow());
                    query.setLong(3, filter.endEpoch().orElseThrow());
                    long length = 0;
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            length += rows.getString(1).length() + rows.getString(3).length()
                                    + rows.getString(7).length();
                        }
                    }
                    if (length < 0) {
                        throw new IllegalStateException();
                    }
                }
                if (run > 0) {
                    millis.add((System.nanoTime() - started) / 1e6);
                }
            }
            connection.rollback();
            return millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
