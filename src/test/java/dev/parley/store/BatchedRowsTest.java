package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query read a batch at a time, on both stores: every row once, in the query's order, in
 * batches of the size asked (the last one shorter, then an empty one), with other statements run
 * on the same connection between batches, as an export reads each batch's requests.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchedRowsTest {

    private static final int BATCH = 100;
    private static final String NUMBERS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            + " SELECT i FROM n WHERE i <= ? ORDER BY i DESC";

    @Parameter
    TestStores store;

    private Database database;

    @BeforeEach
    void openStore() {
        Config config = store.freshConfig();
        database = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry());
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH})
    void everyRowComesOnceInOrderInBatchesOfTheSizeAskedWithOtherStatementsBetweenThem(int count) {
        List<List<Long>> batches = database.read(connection -> {
            List<List<Long>> read = new ArrayList<>();
            try (BatchedRows rows = BatchedRows.open(connection, database.dialect(),
                    new Sql().append(NUMBERS, (long) count, (long) count), BATCH)) {
                List<Long> batch;
                do {
                    batch = rows.next(result -> row -> row.getLong(1));
                    read.add(batch);
                    try (Statement between = connection.createStatement();
                         ResultSet one = between.executeQuery("SELECT 1")) {
                        assertThat(one.next()).isTrue();
                    }
                } while (!batch.isEmpty());
            }
            return read;
        });

        assertThat(batches.stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(LongStream.iterate(count, i -> i >= 1, i -> i - 1).boxed().toList());
        assertThat(batches.subList(0, batches.size() - 1)).allSatisfy(batch -> assertThat(batch).isNotEmpty());
        assertThat(batches.subList(0, Math.max(0, batches.size() - 2)))
                .allSatisfy(batch -> assertThat(batch).hasSize(BATCH));
        assertThat(batches.get(batches.size() - 1)).as("the end: an empty batch").isEmpty();
    }
}
