package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.store.Database;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL only: the upkeep Parley does itself because autovacuum may be off (as on the build
 * machines) or behind a fast load. The stats compaction vacuums the rollup's tables once the deltas
 * it has folded, counted across its runs, reach its threshold, so that a steady stream of small
 * folds gets its vacuum as a bulk load's does; and a bulk load into a never analyzed table refreshes
 * the planner's statistics as it grows — without them each batch's lookup of its ids read the whole
 * workspace (docs/benchmarks.md, "Beyond one million"), which no plan at this test's size can show.
 * SQLite has neither dead rows to reclaim nor a planner that needs statistics to find ids by key.
 */
class PostgresqlUpkeepTest {

    private Parley parley;
    private Database database;

    @BeforeEach
    void openStore() {
        Config config = TestStores.POSTGRESQL.freshConfig();
        parley = Parley.open(config);
        database = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry());
    }

    @AfterEach
    void closeStore() {
        database.close();
        parley.close();
    }

    @Test
    void theCompactionVacuumsTheRollupOnceItsFoldsAcrossRunsReachTheThreshold() {
        long workspace = workspace();
        recordExchanges(workspace, 20);
        long firstDeltas = deltas();
        StatsCompaction compaction = new StatsCompaction(database, 50, firstDeltas + 1);
        long visibleBefore = pagesMarkedAllVisible();

        long firstFolded = compaction.compact();
        long visibleAfterFirst = pagesMarkedAllVisible();
        recordExchanges(workspace, 1);
        long secondFolded = compaction.compact();

        assertThat(visibleBefore).as("never vacuumed").isZero();
        assertThat(firstFolded).isEqualTo(firstDeltas);
        assertThat(visibleAfterFirst).as("one short of the threshold: no vacuum").isZero();
        assertThat(secondFolded).isPositive();
        assertThat(pagesMarkedAllVisible()).as("the second run reaches it: vacuumed").isPositive();
    }

    @Test
    void aBulkLoadIntoANeverAnalyzedTableRefreshesThePlannersStatisticsBeforeItEnds() {
        long workspace = workspace();
        long before = analyzedConversations();

        DemoData.generate(3, GrowingStatistics.FIRST_REFRESH, 1_000,
                batch -> parley.history().writer().storeWhole(workspace, batch));

        assertThat(before).as("never analyzed").isEqualTo(-1);
        assertThat(analyzedConversations()).as("analyzed once the load reached its first refresh, before its end")
                .isEqualTo(GrowingStatistics.FIRST_REFRESH);
    }

    private long workspace() {
        String secret = parley.keys().create(new WorkspaceName("vacuumed"), Set.of(Scope.READ, Scope.WRITE)).secret();
        return parley.keys().authenticate(secret).orElseThrow().workspaceId();
    }

    private void recordExchanges(long workspace, int count) {
        for (int i = 0; i < count; i++) {
            parley.history().writer().record(workspace, HistoryStoreContractTest.an("question " + i)
                    .createdAt(DemoData.END - i * 86_400_000L).categories("billing", "refunds").build());
        }
    }

    private long deltas() {
        return single("SELECT (SELECT COUNT(*) FROM stats_rollup WHERE NOT compacted)"
                + " + (SELECT COUNT(*) FROM stats_category_pairs WHERE NOT compacted)");
    }

    /**
     * The two tables' pages that a vacuum has marked all-visible, as the catalog (transactional,
     * unlike the statistics views, which may lag) counts them: only a vacuum marks them.
     */
    private long pagesMarkedAllVisible() {
        return single("SELECT SUM(relallvisible) FROM pg_class WHERE relname IN ('stats_rollup', 'stats_category_pairs')");
    }

    /** The conversations the planner believes the table holds, as the catalog has it (-1: never analyzed). */
    private long analyzedConversations() {
        return single("SELECT reltuples::bigint FROM pg_class WHERE relname = 'conversations'");
    }

    private long single(String sql) {
        return database.read(connection -> {
            try (Statement query = connection.createStatement(); ResultSet rows = query.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
