package dev.parley.history;

import dev.parley.Periodic;
import dev.parley.store.Database;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the stats rollup's delta rows now and then ({@link StatsRollup#fold}), so that a reader
 * sums about one row per key however many writes there were. Each fold is one short transaction
 * of at most {@link #DELTAS_PER_FOLD} deltas that deletes the rows it read and inserts their
 * sums, repeated until a fold finds fewer: the bots' writes, which only insert, never wait on it
 * for long (on SQLite one fold of every delta a million-conversation load left ran past the write
 * timeout, was rolled back and never finished), and stats are exact whether a fold has run or not.
 */
public final class StatsCompaction implements AutoCloseable {

    /** Often enough that a reader sums few deltas, seldom enough that idle stores stay idle. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(StatsCompaction.class);

    /** A fold of this many is a short transaction on both stores (docs/benchmarks.md). */
    public static final int DELTAS_PER_FOLD = 10_000;
    /**
     * A compaction that folded this many leaves as many dead rows on PostgreSQL, which the
     * readers step over until a vacuum: at 1,000,000 conversations, 16 million of them made stats
     * take 2–3 s where autovacuum was off. It vacuums the two tables then.
     */
    static final long VACUUM_AFTER = 100_000;

    private final Database database;
    private final StatsRollup rollup;
    private final int deltasPerFold;
    private final long vacuumAfter;
    private final Periodic schedule = new Periodic("parley-stats-compaction", this::compactLogged);

    public StatsCompaction(Database database) {
        this(database, DELTAS_PER_FOLD, VACUUM_AFTER);
    }

    StatsCompaction(Database database, int deltasPerFold, long vacuumAfter) {
        this.database = database;
        this.rollup = new StatsRollup(database.dialect());
        this.deltasPerFold = deltasPerFold;
        this.vacuumAfter = vacuumAfter;
    }

    /** Folds every {@code interval} from now on, on a thread of its own. */
    public void start(Duration interval) {
        schedule.start(interval);
    }

    private void compactLogged() {
        try {
            compact();
        } catch (RuntimeException e) {
            // the next interval tries again; until then readers sum a few more rows
            LOG.warn("stats compaction failed: {}", e.toString());
        }
    }

    /** Folds every delta there is, in as many transactions as it takes; answers how many it folded. */
    public long compact() {
        long started = System.nanoTime();
        long folded = 0;
        int folds = 0;
        long longest = 0;
        for (StatsRollup.Table table : StatsRollup.Table.values()) {
            for (long workspace : database.read(connection -> rollup.workspacesWithDeltas(connection, table))) {
                int taken;
                do {
                    long foldStarted = System.nanoTime();
                    taken = database.write(connection -> rollup.fold(connection, table, workspace, deltasPerFold));
                    longest = Math.max(longest, System.nanoTime() - foldStarted);
                    folded += taken;
                    folds++;
                } while (taken == deltasPerFold);
            }
        }
        if (folds > 2) { // a bulk load's deltas, not the few of the last interval's writes
            LOG.info("stats compaction folded {} deltas in {} transactions, {} ms in all, the longest {} ms", folded,
                    folds, (System.nanoTime() - started) / 1_000_000, longest / 1_000_000);
        }
        if (folded >= vacuumAfter) {
            database.vacuum(java.util.Arrays.stream(StatsRollup.Table.values()).map(table -> table.name).toList());
        }
        return folded;
    }

    @Override
    public void close() {
        schedule.close();
    }
}
