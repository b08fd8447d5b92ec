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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL only (SQLite's planner finds ids by the primary key whatever its statistics): a bulk
 * load into an empty, never analyzed table refreshes the planner's statistics as it grows: without
 * them, each batch's lookup of its ids read the whole workspace (docs/benchmarks.md, issue 20 at
 * 5,000,000), which a plan test at this size cannot show — here a scan is the right plan.
 */
class GrowingStatisticsTest {

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
    void aBulkLoadIntoANeverAnalyzedTableRefreshesThePlannersStatisticsBeforeItEnds() {
        String secret = parley.keys().create(new WorkspaceName("loaded"), Set.of(Scope.READ, Scope.WRITE)).secret();
        long workspace = parley.keys().authenticate(secret).orElseThrow().workspaceId();
        long before = analyzedRows();

        DemoData.generate(3, GrowingStatistics.FIRST_REFRESH, 1_000,
                batch -> parley.history().writer().storeWhole(workspace, batch));

        assertThat(before).as("never analyzed").isEqualTo(-1);
        assertThat(analyzedRows()).as("analyzed once the load reached its first refresh, before its end")
                .isEqualTo(GrowingStatistics.FIRST_REFRESH);
    }

    /** The conversations the planner believes the table holds, as the catalog has it (-1: never analyzed). */
    private long analyzedRows() {
        return database.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = 'conversations'");
                 ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
