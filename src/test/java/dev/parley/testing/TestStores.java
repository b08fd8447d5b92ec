package dev.parley.testing;

import dev.parley.Config;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real stores for tests: SQLite in a fresh directory, PostgreSQL in a fresh database. The
 * PostgreSQL server is the one {@code PARLEY_TEST_DATABASE_URL} names (CI points it at the
 * machine's server), else an embedded one started once for the test run. Never skipped.
 */
public enum TestStores {
    SQLITE, POSTGRESQL;

    /** What the embedded server allows, and the machine's server must too. */
    private static final int NEEDED_CONNECTIONS = 300;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String serverUrl;

    /** The settings of a new, empty store of this kind; no rate limit, so tests may hurry. */
    public Config freshConfig() {
        Path dataDir = newDirectory();
        return new Config(0, dataDir, this == POSTGRESQL ? Optional.of(freshPostgresDatabase()) : Optional.empty(),
                Optional.empty()).withRateLimit(0);
    }

    public static Path newDirectory() {
        try {
            return Files.createTempDirectory("parley-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String freshPostgresDatabase() {
        String server = postgresServer();
        String name = "parley_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        runOnServer(server, "DROP DATABASE IF EXISTS " + name);
        runOnServer(server, "CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> runOnServer(server, "DROP DATABASE IF EXISTS " + name
                + " WITH (FORCE)")));
        return withDatabase(server, name);
    }

    private static void runOnServer(String server, String sql) {
        try (Connection admin = DriverManager.getConnection(server)) {
            admin.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + server + ": " + e.getMessage(), e);
        }
    }

    private static synchronized String postgresServer() {
        if (serverUrl == null) {
            String given = System.getenv("PARLEY_TEST_DATABASE_URL");
            serverUrl = given != null && !given.isBlank() ? withRoomForTheSuite(given) : startEmbeddedPostgres();
        }
        return serverUrl;
    }

    /**
     * The suite runs several PostgreSQL-backed instances at once, 36 connections each at the
     * default pool size: a server with PostgreSQL's default 100 fails some test at random with
     * "too many clients". Said once, up front, instead.
     */
    private static String withRoomForTheSuite(String server) {
        try (Connection admin = DriverManager.getConnection(server);
             java.sql.ResultSet row = admin.createStatement().executeQuery("SHOW max_connections")) {
            row.next();
            int connections = Integer.parseInt(row.getString(1));
            if (connections < NEEDED_CONNECTIONS) {
                throw new IllegalStateException("PARLEY_TEST_DATABASE_URL names a server with max_connections "
                        + connections + "; the tests need " + NEEDED_CONNECTIONS + " (as the embedded server has):"
                        + " ALTER SYSTEM SET max_connections = " + NEEDED_CONNECTIONS + ", then restart it (.ci/run"
                        + " does this for the local server)");
            }
            return server;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PARLEY_TEST_DATABASE_URL " + server + ": " + e.getMessage(), e);
        }
    }

    private static String startEmbeddedPostgres() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the run is over
                }
            }));
            return postgres.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an embedded PostgreSQL; set PARLEY_TEST_DATABASE_URL"
                    + " to a server instead", e);
        }
    }

    /** The same server URL with another database name in its path. */
    public static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        int pathStart = url.indexOf('/', prefix.length());
        int queryStart = url.indexOf('?');
        String hostPart = pathStart < 0 ? url.substring(0, queryStart < 0 ? url.length() : queryStart)
                : url.substring(0, pathStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart);
        return hostPart + "/" + database + query;
    }
}
