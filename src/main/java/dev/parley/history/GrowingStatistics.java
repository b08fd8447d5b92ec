package dev.parley.history;

import dev.parley.store.Database;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the query planner's statistics up with bulk writes as they grow the tables. PostgreSQL
 * plans a batch's lookup of its conversation ids from the statistics of the table as they were:
 * a table loaded from empty and never analyzed (autovacuum off, or not come round yet) got a plan
 * that read every conversation of the workspace for each batch of 1,000 ids — at 3,000,000
 * conversations a bitmap scan of all of them, half a second a batch, and a load that slowed as
 * it grew. The statistics are refreshed each time the conversations bulk-written by this process
 * double (10,000, 20,000, 40,000 …): a dozen refreshes for 5,000,000, each a sample, not a scan.
 */
final class GrowingStatistics {

    static final long FIRST_REFRESH = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(GrowingStatistics.class);

    private final Database database;
    private final List<String> tables;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong nextRefresh = new AtomicLong(FIRST_REFRESH);

    GrowingStatistics(Database database, List<String> tables) {
        this.database = database;
        this.tables = tables;
    }

    /** After a bulk write has committed these conversations: refreshes the statistics when they are due. */
    void wrote(int conversations) {
        long total = written.addAndGet(conversations);
        long due = nextRefresh.get();
        if (total >= due && nextRefresh.compareAndSet(due, total * 2)) {
            refresh();
        }
    }

    private void refresh() {
        try {
            database.refreshStatistics(tables);
        } catch (RuntimeException e) {
            // the write it follows has committed; a plan from older statistics is slower, not wrong
            LOG.warn("refreshing the planner's statistics after a bulk write failed: {}", e.toString());
        }
    }
}
