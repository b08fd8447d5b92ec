package dev.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.IoReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The one place that knows JDBC URLs: opens SQLite or PostgreSQL, migrates the schema, and runs
 * work in transactions. Reads take a pooled connection; writes go through {@link SqliteWriter}
 * on SQLite and a pooled transaction on PostgreSQL.
 */
public final class Database implements AutoCloseable {

    public static final String SQLITE_FILE = "parley.db";
    /**
     * How long a SQLite write waits for the write lock that another process holds (the admin CLI
     * beside {@code serve}, or the other way round) before it fails: bounded, and longer than any
     * single write of the CLI's but an import's.
     */
    public static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(30);
    /** No PostgreSQL statement may hold a connection longer: past this it is cancelled (a 503 to the client). */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The SQLite writer's page cache, in KiB (SQLite's default is 2,000). Every write touches pages
     * of several indexes keyed by random ids; with the default cache a bulk load at 200,000
     * conversations read most of them back from the OS (half its time in the kernel, pread), and
     * 64 MiB cut a 20,000-conversation load from 52.5 s to 47.2 s. The readers keep the default:
     * there are several of them, and the OS's page cache, which they share, holds what they read.
     */
    private static final int SQLITE_WRITER_CACHE_KIB = 64 * 1024;
    /** Less free space than this, after a write failed for want of it, keeps the store unready. */
    private static final long FREE_SPACE_TO_RESUME = 1 << 20;
    /**
     * Long reads ({@link #stream}) at once: each has a connection of its own, apart from the
     * readers, so that exports read by slow clients never keep a key check or a page waiting.
     */
    public static final int MAX_STREAMS = 4;

    private final Dialect dialect;
    private final HikariDataSource readers;
    private final HikariDataSource streams;
    private final Writer writer;
    private final Optional<Path> sqliteDirectory;
    private final Optional<String> postgresUrl;
    private final Optional<NotificationSender> notifications;
    private final Optional<SQLiteDataSource> sqliteWritable;
    private final Timer reads;
    private final Timer writes;

    private Database(Dialect dialect, HikariDataSource readers, HikariDataSource streams, Writer writer,
                     Optional<Path> sqliteDirectory, Optional<SQLiteDataSource> sqliteWritable,
                     Optional<String> postgresUrl, MeterRegistry meters) {
        this.dialect = dialect;
        this.sqliteWritable = sqliteWritable;
        this.postgresUrl = postgresUrl;
        this.notifications = postgresUrl.map(NotificationSender::new);
        this.readers = readers;
        this.streams = streams;
        this.writer = writer;
        this.sqliteDirectory = sqliteDirectory;
        this.reads = transactionTimer(meters, "read");
        this.writes = transactionTimer(meters, "write");
        readers.setMetricRegistry(meters);
        streams.setMetricRegistry(meters);
    }

    private static Timer transactionTimer(MeterRegistry meters, String kind) {
        return Timer.builder("parley.store.transactions").description("Store transactions, from start to commit")
                .tag("kind", kind).publishPercentileHistogram().register(meters);
    }

    /**
     * PostgreSQL when a URL is given, else SQLite in {@code dataDir}; migrated and ready. A write
     * that cannot start within {@code writeTimeout} is refused as unavailable. On PostgreSQL, the
     * writers' and the readers' pools hold {@code poolSize} connections each (and the streams theirs).
     */
    public static Database open(Path dataDir, Optional<String> postgresUrl, Duration writeTimeout, int poolSize,
                                MeterRegistry meters) {
        return postgresUrl.map(url -> openPostgres(url, poolSize, meters))
                .orElseGet(() -> openSqlite(dataDir, writeTimeout, meters));
    }

    private static Database openSqlite(Path dataDir, Duration writeTimeout, MeterRegistry meters) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("PARLEY_DATA_DIR " + dataDir + " cannot be used: " + IoReason.of(e), e);
        }
        SqliteLibrary.keepIn(dataDir);
        String url = "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath();
        SQLiteDataSource writable = sqliteSource(url);
        writable.getConfig().setCacheSize(-SQLITE_WRITER_CACHE_KIB); // negative: KiB, not pages
        migrate(writable, "classpath:db/sqlite");
        HikariDataSource readers = new HikariDataSource(sqliteReaders(url, "parley-sqlite-readers",
                Math.max(4, Runtime.getRuntime().availableProcessors() * 2)));
        HikariDataSource streams = new HikariDataSource(sqliteReaders(url, "parley-sqlite-streams", MAX_STREAMS));
        try {
            return new Database(Dialect.SQLITE, readers, streams, new SqliteWriter(writable::getConnection, writeTimeout),
                    Optional.of(dataDir), Optional.of(writable), Optional.empty(), meters);
        } catch (SQLException e) {
            streams.close();
            readers.close();
            throw StoreException.wrap(e);
        }
    }

    private static HikariConfig sqliteReaders(String url, String name, int size) {
        HikariConfig readers = new HikariConfig();
        readers.setDataSource(sqliteSource(url));
        readers.setConnectionInitSql("PRAGMA query_only = true");
        readers.setPoolName(name);
        readers.setMaximumPoolSize(size);
        return readers;
    }

    private static Database openPostgres(String url, int poolSize, MeterRegistry meters) {
        HikariDataSource writers;
        try {
            writers = new HikariDataSource(postgresPool(url, "parley-postgres", poolSize));
        } catch (RuntimeException e) {
            throw new StoreException("PARLEY_DATABASE_URL: cannot reach PostgreSQL: " + rootMessage(e), e);
        }
        migrate(writers, "classpath:db/postgresql");
        HikariDataSource readers = null;
        try {
            readers = new HikariDataSource(postgresReaders(url, "parley-postgres-readers", poolSize));
            HikariDataSource streams = new HikariDataSource(postgresReaders(url, "parley-postgres-streams",
                    MAX_STREAMS));
            writers.setMetricRegistry(meters);
            return new Database(Dialect.POSTGRESQL, readers, streams, new PooledWriter(writers), Optional.empty(),
                    Optional.empty(), Optional.of(url), meters);
        } catch (RuntimeException e) {
            if (readers != null) {
                readers.close();
            }
            writers.close();
            throw new StoreException("PARLEY_DATABASE_URL: cannot reach PostgreSQL: " + rootMessage(e), e);
        }
    }

    /**
     * Readers are set once per connection to read one snapshot, read-only: changing that per
     * transaction would cost a round trip to set it and another when the pool resets it.
     */
    private static HikariConfig postgresReaders(String url, String name, int size) {
        HikariConfig readers = postgresPool(url, name, size);
        readers.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        readers.setReadOnly(true);
        readers.setAutoCommit(false);
        return readers;
    }

    private static HikariConfig postgresPool(String url, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        // the whole pool from the start: a pool still growing under a burst made a request wait
        // past the checkout timeout below for a connection being opened, and answered it 503
        config.setMinimumIdle(size);
        // when PostgreSQL is away, answer 503 within about a second instead of hanging
        config.setConnectionTimeout(1_000);
        config.setValidationTimeout(500);
        config.addDataSourceProperty("connectTimeout", "2");
        config.setInitializationFailTimeout(5_000);
        config.addDataSourceProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis() + "ms");
        // batched inserts become multi-row INSERTs: one round trip for a thousand rows
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return config;
    }

    /**
     * WAL, so that readers never block the writer; FULL sync, so that a commit survives power loss;
     * secure_delete, so that deleted content is overwritten with zeros instead of lingering in
     * free space (an erasure must leave no trace of the text in the file, SPEC §10).
     */
    private static SQLiteDataSource sqliteSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) SQLITE_BUSY_TIMEOUT.toMillis());
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    private static void migrate(javax.sql.DataSource source, String location) {
        if (SchemaHistory.isCurrent(source)) {
            return;
        }
        try {
            Flyway.configure().dataSource(source).locations(location).load().migrate();
        } catch (RuntimeException e) {
            throw new StoreException("cannot migrate the schema: " + rootMessage(e), e);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs work in a read-only transaction that sees one consistent snapshot. */
    public <T> T read(Work<T> work) {
        Timer.Sample sample = Timer.start();
        try {
            return inTransaction(readers, work);
        } finally {
            sample.stop(reads);
        }
    }

    /**
     * Runs a long read (an export, whose pace is the client's) in a read-only transaction that
     * sees one snapshot, on a connection of the {@link #MAX_STREAMS} kept for such reads.
     */
    public <T> T stream(Work<T> work) {
        Timer.Sample sample = Timer.start();
        try {
            return inTransaction(streams, work);
        } finally {
            sample.stop(reads);
        }
    }

    /**
     * Runs one statement outside a transaction: a single statement reads one snapshot anyway, and
     * on PostgreSQL this saves the round trips of beginning and committing.
     */
    public <T> T readOne(Work<T> work) {
        Timer.Sample sample = Timer.start();
        try (Connection connection = readers.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw StoreException.wrap(e);
        } finally {
            sample.stop(reads);
        }
    }

    /** Runs work in a transaction; returns only once its commit is durable. */
    public <T> T write(Work<T> work) {
        Timer.Sample sample = Timer.start();
        try {
            return writer.write(work);
        } finally {
            sample.stop(writes);
        }
    }

    /**
     * Runs a long write (a chunk of an import) in a transaction of its own; returns once its
     * commit is durable. On SQLite the writes queued beside it then commit without waiting for it.
     */
    public <T> T writeAlone(Work<T> work) {
        Timer.Sample sample = Timer.start();
        try {
            return writer.writeAlone(work);
        } finally {
            sample.stop(writes);
        }
    }

    /**
     * How many long writes ({@link #writeAlone}) make progress at once: one on SQLite, whose one
     * writer runs them one after another; on PostgreSQL several, each on a connection of its own.
     */
    public int longWritesAtOnce() {
        return writer.longWritesAtOnce();
    }

    /**
     * Runs an action once the transaction of the write now running has committed (at once
     * outside a write); never when it rolls back. For waking those who wait for what it wrote.
     * Asked again with an equal key in the same transaction, it runs once.
     */
    public void afterCommit(Object key, Runnable action) {
        AfterCommit.add(key, action);
    }

    /**
     * PostgreSQL: hears every notification on a channel, from any instance, once it is committed;
     * {@code missedSome} runs when the listening connection was lost and found again. SQLite has
     * no notifications (its writes are this process's own): nothing is heard.
     */
    public AutoCloseable listen(String channel, java.util.function.Consumer<String> heard, Runnable missedSome) {
        return postgresUrl.<AutoCloseable>map(url -> new Notifications(url, channel, heard, missedSome))
                .orElse(() -> { });
    }

    /**
     * PostgreSQL: notifies every listener of the channel, on every instance, once per payload, in
     * a transaction of its own (never inside a write: PostgreSQL takes one lock for all
     * notifications through the commit's flush). SQLite: nothing to tell.
     */
    public void notify(String channel, java.util.Collection<String> payloads) {
        notifications.ifPresent(sender -> sender.send(channel, payloads));
    }

    static <T> T inTransaction(HikariDataSource pool, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollBack(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.wrap(e);
        }
    }

    /** A failed rollback (the connection broke) must not hide why the work failed. */
    private static void rollBack(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Brings the query planner's statistics up to date, after a bulk load has changed the tables
     * more than autovacuum (PostgreSQL) or the last optimize (SQLite) has seen: a planner that
     * believes a table is empty picks scans over the indexes.
     */
    public void refreshStatistics(List<String> tables) {
        write(connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute(dialect.analyze(tables));
            }
            return null;
        });
    }

    /**
     * PostgreSQL: reclaims the dead rows of tables a large delete has left them (a bulk fold of
     * the stats rollup deletes millions), so that readers stop stepping over them in the indexes
     * before autovacuum comes round (or at all, where it is off); and marks the pages of the rows
     * a bulk load added all-visible, which index-only scans need to skip the table. Runs outside a
     * transaction, as VACUUM must. SQLite has neither dead rows to reclaim nor a visibility map:
     * nothing to do.
     */
    public void vacuum(List<String> tables) {
        if (postgresUrl.isEmpty()) {
            return;
        }
        // a connection of its own: the pools' are read-only or inside transactions
        try (Connection connection = java.sql.DriverManager.getConnection(postgresUrl.get())) {
            try (var statement = connection.createStatement()) {
                statement.execute("VACUUM (ANALYZE) " + String.join(", ", tables));
            }
        } catch (SQLException e) {
            throw StoreException.wrap(e);
        }
    }

    /** How often {@link #checkpointAfterErasure} tries while readers of older snapshots hold the WAL. */
    private static final int CHECKPOINT_ATTEMPTS = 40;

    /**
     * After an erasure, before it answers: on SQLite, copies the write-ahead log into the database
     * file and truncates it (a TRUNCATE checkpoint), so that the erased text — zeroed in the pages
     * that held it by secure_delete — is in neither file. A reader still on an older snapshot (a
     * long export) keeps the checkpoint from finishing; it is tried again for about two seconds.
     * Answers whether it finished; on PostgreSQL there is nothing to do here (vacuum reclaims).
     */
    public boolean checkpointAfterErasure() {
        if (sqliteWritable.isEmpty()) {
            return true;
        }
        try (Connection connection = sqliteWritable.get().getConnection();
             var statement = connection.createStatement()) {
            for (int attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
                try (var result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    if (result.next() && result.getInt(1) == 0) {
                        return true;
                    }
                }
                Thread.sleep(50);
            }
            return false;
        } catch (SQLException e) {
            throw StoreException.wrap(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * True when the store answers a trivial query and can take writes: not while the last write
     * failed for a full disk, unless space has been freed since (a write would then find out,
     * and an unready instance gets no writes to find out with).
     */
    public boolean reachable() {
        try {
            return read(connection -> connection.isValid(2)) && !(writer.diskFull() && !spaceFreed());
        } catch (StoreException e) {
            return false;
        }
    }

    private boolean spaceFreed() {
        try {
            return Files.getFileStore(sqliteDirectory.orElseThrow()).getUsableSpace() >= FREE_SPACE_TO_RESUME;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        notifications.ifPresent(NotificationSender::close);
        writer.close();
        streams.close();
        readers.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
