package dev.parley.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Whether the store already holds the newest schema, asked of Flyway's own history table before
 * Flyway is started at all: Flyway's start (its plugins, a scan of the jar for migrations, its
 * checks) was a fifth of the service's start, for the usual case of a schema with nothing to do.
 * Anything else — a new store, a store a version behind, a migration missing from the record or
 * failed there — is left to Flyway, which migrates, or refuses as before.
 */
final class SchemaHistory {

    /** The newest migration in db/sqlite and db/postgresql; {@code SchemaHistoryTest} keeps them in step. */
    static final int NEWEST_VERSION = 11;

    /** The newest version applied, how many of this jar's versions are applied, how many failed. */
    private static final String APPLIED = "SELECT MAX(CAST(version AS INTEGER)),"
            + " SUM(CASE WHEN CAST(version AS INTEGER) <= " + NEWEST_VERSION + " THEN 1 ELSE 0 END),"
            + " SUM(CASE WHEN success THEN 0 ELSE 1 END) FROM flyway_schema_history WHERE version IS NOT NULL";

    private SchemaHistory() {
    }

    static boolean isCurrent(DataSource source) {
        try (Connection connection = source.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(APPLIED)) {
            // every one of this jar's migrations, none failed (a newer jar's are fine: Flyway ignores them too)
            return row.next() && row.getInt(1) >= NEWEST_VERSION && row.getLong(2) == NEWEST_VERSION
                    && row.getLong(3) == 0;
        } catch (SQLException e) {
            return false; // no history table yet (a new store), or the store is away: Flyway says which
        }
    }
}
