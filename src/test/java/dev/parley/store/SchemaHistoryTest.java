package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.Config;
import dev.parley.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start skips Flyway only when the schema history already holds the newest migration, all of it
 * successful; every other store is still migrated, or refused, by Flyway.
 */
class SchemaHistoryTest {

    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void theNewestVersionIsTheNewestMigrationOfEachDialect() throws Exception {
        assertThat(newestMigration("db/sqlite")).isEqualTo(SchemaHistory.NEWEST_VERSION);
        assertThat(newestMigration("db/postgresql")).isEqualTo(SchemaHistory.NEWEST_VERSION);
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aNewStoreIsMigratedAndThenCurrent(TestStores store) throws Exception {
        Config config = store.freshConfig();
        open(config).close();
        assertThat(newestApplied(config)).isEqualTo(SchemaHistory.NEWEST_VERSION);
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aStoreAVersionBehindIsMigratedToTheNewest(TestStores store) throws Exception {
        Config config = store.freshConfig();
        flyway(store, config).target(Integer.toString(SchemaHistory.NEWEST_VERSION - 1)).load().migrate();
        assertThat(newestApplied(config)).isEqualTo(SchemaHistory.NEWEST_VERSION - 1);

        open(config).close();

        assertThat(newestApplied(config)).isEqualTo(SchemaHistory.NEWEST_VERSION);
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aFailedMigrationOnRecordIsStillRefused(TestStores store) throws Exception {
        Config config = store.freshConfig();
        open(config).close();
        try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE flyway_schema_history SET success = " + (store == TestStores.SQLITE ? "0" : "false")
                    + " WHERE version = '" + SchemaHistory.NEWEST_VERSION + "'");
        }

        assertThatThrownBy(() -> open(config)).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot migrate the schema");
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aMigrationMissingFromTheRecordIsLeftToFlywayWhichRefusesIt(TestStores store) throws Exception {
        Config config = store.freshConfig();
        open(config).close();
        try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '2'")).isEqualTo(1);
        }

        assertThatThrownBy(() -> open(config)).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot migrate the schema");
    }

    private static Database open(Config config) {
        return Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(), config.databasePoolSize(),
                new SimpleMeterRegistry());
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(TestStores store, Config config) {
        return Flyway.configure().dataSource(url(config), null, null)
                .locations(store == TestStores.SQLITE ? "classpath:db/sqlite" : "classpath:db/postgresql");
    }

    private static int newestApplied(Config config) throws SQLException {
        try (Connection connection = connect(config); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static Connection connect(Config config) throws SQLException {
        return DriverManager.getConnection(url(config));
    }

    private static String url(Config config) {
        return config.databaseUrl().orElseGet(() ->
                "jdbc:sqlite:" + config.dataDir().resolve(Database.SQLITE_FILE).toAbsolutePath());
    }

    private static int newestMigration(String directory) throws IOException, URISyntaxException {
        Path migrations = Path.of(SchemaHistoryTest.class.getClassLoader().getResource(directory).toURI());
        try (Stream<Path> files = Files.list(migrations)) {
            return files.map(file -> MIGRATION.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(match -> Integer.parseInt(match.group(1)))
                    .max().orElseThrow();
        }
    }
}
