package dev.parley.history;

import dev.parley.Periodic;
import dev.parley.store.Database;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
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
     * Folding this many leaves as many dead rows on PostgreSQL, which the readers step over until
     * a vacuum: at 1,000,000 conversations, 16 million of them made stats take 2–3 s where
     * autovacuum was off. The compaction vacuums the two tables each time its folds, counted
     * across runs, reach it: a table vacuumed as it goes reuses its space instead of growing.
     */
    static final long VACUUM_AFTER = 100_000;

    private final Database database;
    private final StatsRollup rollup;
    private final int deltasPerFold;
    private final long vacuumAfter;
    private final AtomicLong foldedSinceVacuum = new AtomicLong();
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
        Run run = new Run();
        for (StatsRollup.Table table : StatsRollup.Table.values()) {
            for (long workspace : database.read(connection -> rollup.workspacesWithDeltas(connection, table))) {
                foldAll(table, workspace, run);
            }
        }
        return finish(run);
    }

    /**
     * After a bulk write of a workspace has committed: folds the deltas it added, on PostgreSQL
     * (SQLite's bulk writes fold their own inside their transaction, {@link StatsRollup#foldAddedSince}).
     * A bulk load folded only at its end leaves millions of deltas there, and once folded as many
     * dead rows, in tables that keep their size (at 1,000,000 conversations 1.0 and 1.7 GB for
     * 112,000 live rows): readers then step over empty pages, where tables folded and vacuumed as
     * they grow stay the size of their keys. A fold that fails leaves its deltas to the next
     * compaction; the write stands.
     */
    public void afterBulkWrite(long workspace) {
        if (rollup.foldsInsideBulkWrites()) {
            return;
        }
        try {
            Run run = new Run();
            for (StatsRollup.Table table : StatsRollup.Table.values()) {
                foldAll(table, workspace, run);
            }
            finish(run);
        } catch (RuntimeException e) {
            LOG.warn("stats compaction after a bulk write failed: {}", e.toString());
        }
    }

    private void foldAll(StatsRollup.Table table, long workspace, Run run) {
        int taken;
        do {
            long started = System.nanoTime();
            taken = database.write(connection -> rollup.fold(connection, table, workspace, deltasPerFold));
            run.fold(taken, System.nanoTime() - started);
        } while (taken == deltasPerFold);
    }

    private long finish(Run run) {
        if (run.folds > 2) { // a bulk load's deltas, not the few of the last interval's writes
            LOG.info("stats compaction folded {} deltas in {} transactions, {} ms in all, the longest {} ms",
                    run.folded, run.folds, (System.nanoTime() - run.started) / 1_000_000, run.longest / 1_000_000);
        }
        long before = foldedSinceVacuum.getAndUpdate(folded -> folded + run.folded >= vacuumAfter ? 0
                : folded + run.folded);
        if (before + run.folded >= vacuumAfter) {
            database.vacuum(Arrays.stream(StatsRollup.Table.values()).map(table -> table.name).toList());
        }
        return run.folded;
    }

    /** What one compaction did, for its log line. */
    private static final class Run {
        final long started = System.nanoTime();
        long folded;
        int folds;
        long longest;

        void fold(int taken, long nanos) {
            folded += taken;
            folds++;
            longest = Math.max(longest, nanos);
        }
    }

    @Override
    public void close() {
        schedule.close();
    }
}
