package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.StatsRollup.Table;
import dev.parley.store.Database;
import dev.parley.store.Dialect;
import dev.parley.testing.TestStores;
import dev.parley.transfer.ConcurrentBatches;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Folding the stats rollup's deltas (issue 20): each fold is a transaction of a bounded size, the
 * compaction repeats it until every delta there was is folded, a bulk load folds its own, and
 * the stats are the same before and after. No server runs here, so no periodic fold interferes.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsCompactionTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    private static final List<Map<String, List<String>>> FILTERS = List.of(Map.of(),
            Map.of("source", List.of("zendesk,slack")), Map.of("escalation", List.of("true")),
            Map.of("category", List.of("billing")), Map.of("category", List.of("refunds"), "source", List.of("widget")),
            Map.of("startEpoch", List.of(String.valueOf(DemoData.END - 40L * 86_400_000))));

    @Parameter
    TestStores store;

    Config config;
    Parley parley;
    Database database;

    @BeforeParameterizedClassInvocation
    void openStore() {
        config = store.freshConfig();
        parley = Parley.open(config);
        database = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry());
    }

    @AfterParameterizedClassInvocation
    void closeStore() {
        database.close();
        parley.close();
    }

    @Test
    void aFoldTakesNoMoreDeltasThanItIsAllowed() {
        long workspace = workspaceWithDemoData(40);
        recordExchanges(workspace, 30);
        long before = deltas(Table.ROLLUP, workspace);
        Map<Map<String, List<String>>, Stats> stats = stats(workspace);
        StatsRollup rollup = new StatsRollup(database.dialect());

        int taken = database.write(connection -> rollup.fold(connection, Table.ROLLUP, workspace, 7));

        assertThat(before).isGreaterThan(7);
        assertThat(taken).isEqualTo(7);
        assertThat(deltas(Table.ROLLUP, workspace)).isEqualTo(before - 7);
        assertThat(stats(workspace)).isEqualTo(stats);
    }

    @Test
    void theCompactionFoldsMoreDeltasThanOneFoldTakesAndTheStatsStayExact() {
        long workspace = workspaceWithDemoData(300);
        recordExchanges(workspace, 250);
        long other = workspaceWithDemoData(120);
        recordExchanges(other, 60);
        parley.history().writer().delete(workspace,
                parley.history().reader().page(workspace, HistoryFilter.ALL,
                        new PageRequest(5, Optional.empty(), Direction.NEXT)).conversations().get(2).id());
        long before = deltas(Table.ROLLUP, workspace) + deltas(Table.CATEGORY_PAIRS, workspace)
                + deltas(Table.ROLLUP, other) + deltas(Table.CATEGORY_PAIRS, other);
        long everywhere = deltasInEveryWorkspace();
        Map<Map<String, List<String>>, Stats> stats = stats(workspace);
        Map<Map<String, List<String>>, Stats> otherStats = stats(other);

        long folded = new StatsCompaction(database, 50, 1).compact(); // and vacuums afterwards

        assertThat(before).as("deltas to fold, many folds' worth").isGreaterThan(20 * 50);
        assertThat(folded).as("this class's other workspaces' deltas too").isEqualTo(everywhere);
        for (Table table : Table.values()) {
            assertThat(deltas(table, workspace)).as(table.name).isZero();
            assertThat(deltas(table, other)).as(table.name).isZero();
            assertThat(rows(table, workspace)).as("one row per key of " + table.name).isEqualTo(keys(table, workspace));
        }
        assertThat(stats(workspace)).isEqualTo(stats);
        assertThat(stats(other)).isEqualTo(otherStats);
    }

    @Test
    void aFoldAfterAFoldAddsTheNewDeltasToTheFoldedRows() {
        long workspace = workspaceWithDemoData(80);
        new StatsCompaction(database, 30, Long.MAX_VALUE).compact();
        DemoData.generate(2, 60, 20, batch -> parley.history().writer().storeWhole(workspace, batch));
        Map<Map<String, List<String>>, Stats> stats = stats(workspace);

        new StatsCompaction(database, 30, Long.MAX_VALUE).compact();

        for (Table table : Table.values()) {
            assertThat(deltas(table, workspace)).as(table.name).isZero();
            assertThat(rows(table, workspace)).as("one row per key of " + table.name).isEqualTo(keys(table, workspace));
        }
        assertThat(stats(workspace)).isEqualTo(stats);
    }

    @Test
    void aBulkWriteLeavesNoDeltasBehindOnEitherStore() {
        long workspace = workspaceWithDemoData(0);
        Map<Map<String, List<String>>, Stats> empty = stats(workspace);
        long before = rows(Table.CATEGORY_PAIRS, workspace);

        DemoData.generate(5, 150, 50, batch -> parley.history().writer().storeWhole(workspace, batch));

        assertThat(before).isZero();
        assertThat(stats(workspace)).isNotEqualTo(empty);
        for (Table table : Table.values()) {
            assertThat(deltas(table, workspace)).as(table.name).isZero();
            assertThat(rows(table, workspace)).as("one row per key of " + table.name).isEqualTo(keys(table, workspace));
        }
    }

    @Test
    void batchesStoredSideBySideLeaveTheStatsOfTheSameBatchesStoredOneAfterAnother() {
        long oneByOne = workspaceWithDemoData(0);
        long sideBySide = workspaceWithDemoData(0);
        DemoData.generate(11, 400, 25, batch -> parley.history().writer().storeWhole(oneByOne, batch));

        try (ConcurrentBatches batches = new ConcurrentBatches(parley.history().writer().wholeBatchesAtOnce(),
                batch -> parley.history().writer().storeWhole(sideBySide, batch))) {
            DemoData.generate(11, 400, 25, batches);
            batches.finish();
        }
        parley.history().writer().afterBulkLoad();

        assertThat(parley.history().writer().wholeBatchesAtOnce())
                .as("PostgreSQL stores them at once, SQLite's one writer one after another")
                .isEqualTo(store == TestStores.POSTGRESQL ? Math.min(config.databasePoolSize(),
                        Runtime.getRuntime().availableProcessors()) : 1);
        assertThat(stats(sideBySide)).isEqualTo(stats(oneByOne));
        assertThat(stats(sideBySide).get(Map.<String, List<String>>of()).conversations()).isEqualTo(400);
        for (Table table : Table.values()) {
            assertThat(deltas(table, sideBySide)).as(table.name).isZero();
            assertThat(rows(table, sideBySide)).as("one row per key of " + table.name)
                    .isEqualTo(keys(table, sideBySide));
        }
    }

    @Test
    void aGeneratedLoadLeavesThePlannerItsStatisticsAndOnPostgresqlNoPageForAnIndexOnlyScanToVisit() {
        workspaceWithDemoData(300);

        parley.history().writer().afterGeneratedLoad();

        if (store == TestStores.POSTGRESQL) {
            long[] pages = database.read(connection -> {
                try (Statement query = connection.createStatement();
                     ResultSet rows = query.executeQuery("SELECT relpages, relallvisible FROM pg_class"
                             + " WHERE relname = 'conversations'")) {
                    rows.next();
                    return new long[] {rows.getLong(1), rows.getLong(2)};
                }
            });
            assertThat(pages[0]).isPositive();
            assertThat(pages[1]).as("pages all-visible, of " + pages[0]).isEqualTo(pages[0]);
        } else {
            long statistics = database.read(connection -> {
                try (Statement query = connection.createStatement();
                     ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'conversations'")) {
                    rows.next();
                    return rows.getLong(1);
                }
            });
            assertThat(statistics).isPositive();
        }
    }

    @Test
    void aBulkLoadLeavesNoDeltasBehind() {
        long workspace = workspaceWithDemoData(200);
        Map<Map<String, List<String>>, Stats> stats = stats(workspace);

        parley.history().writer().afterBulkLoad();

        assertThat(deltas(Table.ROLLUP, workspace)).isZero();
        assertThat(deltas(Table.CATEGORY_PAIRS, workspace)).isZero();
        assertThat(stats(workspace)).isEqualTo(stats);
    }

    @Test
    void twoInstancesCompactingAtOnceLeaveOneRowPerKeyAndTheStatsExact() throws Exception {
        long workspace = workspaceWithDemoData(0);
        recordExchanges(workspace, 300);
        Map<Map<String, List<String>>, Stats> stats = stats(workspace);
        try (Database another = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry())) {
            List<StatsCompaction> instances = List.of(new StatsCompaction(database, 20, Long.MAX_VALUE),
                    new StatsCompaction(another, 20, Long.MAX_VALUE));
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Long>> folds = threads.invokeAll(instances.stream()
                        .map(instance -> (java.util.concurrent.Callable<Long>) instance::compact).toList());
                for (java.util.concurrent.Future<Long> fold : folds) {
                    fold.get(); // neither failed (a deadlock between them would fail one)
                }
            } finally {
                threads.shutdown();
            }
        }

        for (Table table : Table.values()) {
            assertThat(deltas(table, workspace)).as(table.name).isZero();
            assertThat(rows(table, workspace)).as("one row per key of " + table.name).isEqualTo(keys(table, workspace));
        }
        assertThat(stats(workspace)).isEqualTo(stats);
    }

    private long workspaceWithDemoData(int conversations) {
        String secret = parley.keys().create(new WorkspaceName("fold" + WORKSPACES.incrementAndGet()),
                Set.of(Scope.READ, Scope.WRITE)).secret();
        long workspace = parley.keys().authenticate(secret).orElseThrow().workspaceId();
        DemoData.generate(WORKSPACES.get(), conversations, 50,
                batch -> parley.history().writer().storeWhole(workspace, batch));
        return workspace;
    }

    /** Exchanges one by one, each a write of its own that adds its deltas (the bots' path). */
    private void recordExchanges(long workspace, int count) {
        java.util.Random random = new java.util.Random(count);
        List<String> categories = List.of("billing", "refunds", "orders", "shipping", "fini-other");
        for (int i = 0; i < count; i++) {
            parley.history().writer().record(workspace, HistoryStoreContractTest.an("question " + i)
                    .createdAt(DemoData.END - random.nextInt(60) * 86_400_000L - random.nextInt(86_400_000))
                    .source(Source.values()[random.nextInt(Source.values().length)])
                    .categories(categories.get(random.nextInt(5)), categories.get(random.nextInt(5)),
                            categories.get(random.nextInt(5)))
                    .escalation(random.nextBoolean()).build());
        }
    }

    private Map<Map<String, List<String>>, Stats> stats(long workspace) {
        Map<Map<String, List<String>>, Stats> stats = new LinkedHashMap<>();
        for (Map<String, List<String>> filter : FILTERS) {
            stats.put(filter, parley.history().reader().stats(workspace, HistoryQuery.filter(filter, false)));
        }
        return stats;
    }

    private long deltas(Table table, long workspace) {
        return count("SELECT COUNT(*) FROM " + table.name + " WHERE workspace_id = ? AND "
                + notFolded(), workspace);
    }

    private long deltasInEveryWorkspace() {
        return database.read(connection -> {
            long deltas = 0;
            for (Table table : Table.values()) {
                try (Statement query = connection.createStatement();
                     ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM " + table.name + " WHERE "
                             + notFolded())) {
                    rows.next();
                    deltas += rows.getLong(1);
                }
            }
            return deltas;
        });
    }

    private String notFolded() {
        return database.dialect() == Dialect.POSTGRESQL ? "NOT compacted" : "compacted = 0";
    }

    private long rows(Table table, long workspace) {
        return count("SELECT COUNT(*) FROM " + table.name + " WHERE workspace_id = ?", workspace);
    }

    private long keys(Table table, long workspace) {
        return count("SELECT COUNT(*) FROM (SELECT DISTINCT " + table.key + " FROM " + table.name
                + " WHERE workspace_id = ?) k", workspace);
    }

    private long count(String sql, long workspace) {
        return database.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setLong(1, workspace);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }
}
