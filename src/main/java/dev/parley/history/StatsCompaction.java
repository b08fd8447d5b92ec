package dev.parley.history;

import dev.parley.Periodic;
import dev.parley.store.Database;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the stats rollup's delta rows now and then ({@link StatsRollup#compact}), so that a
 * reader sums about one row per key however many writes there were. Each fold is one short
 * transaction that deletes the rows it read and inserts their sums: the bots' writes, which only
 * insert, never wait for it, and stats are exact whether a fold has run or not.
 */
public final class StatsCompaction implements AutoCloseable {

    /** Often enough that a reader sums few deltas, seldom enough that idle stores stay idle. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(StatsCompaction.class);

    private final Database database;
    private final StatsRollup rollup;
    private final Periodic schedule = new Periodic("parley-stats-compaction", this::compactLogged);

    public StatsCompaction(Database database) {
        this.database = database;
        this.rollup = new StatsRollup(database.dialect());
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

    /** One fold of every key with deltas. */
    public void compact() {
        database.write(rollup::compact);
    }

    @Override
    public void close() {
        schedule.close();
    }
}
