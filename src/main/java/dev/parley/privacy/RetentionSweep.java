package dev.parley.privacy;

import dev.parley.Periodic;
import dev.parley.history.HistoryWriter;
import dev.parley.privacy.AuditEntry.Action;
import dev.parley.privacy.PrivacyTables.Retention;
import dev.parley.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (SPEC §10): every interval, erases the conversations of each workspace with a
 * {@code retentionDays} whose last change is older than that. In batches, each its own short
 * transaction (with its tombstones and its audit entry), so that the bots' writes go on between
 * them; on PostgreSQL a row a writer holds is skipped, not waited for.
 *
 * <p>Several instances share one store, so one sweeps at a time: it holds a lease (one row,
 * taken by a conditional update, renewed each batch, given back at the end). Should an instance
 * die while sweeping, the lease runs out and another takes over. And were two ever to sweep at
 * once, each batch locks its rows and deletes only what is still there: no row is erased, or
 * counted in the audit log, twice.
 */
public final class RetentionSweep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    static final int BATCH = 200;
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final long LEASE_MS = Duration.ofMinutes(5).toMillis();

    private final Database database;
    private final HistoryWriter history;
    private final PrivacyTables tables;
    private final Clock clock;
    private final String holder = UUID.randomUUID().toString();
    private final Periodic schedule = new Periodic("parley-retention-sweep", this::sweepLogged);

    public RetentionSweep(Database database, HistoryWriter history, Privacy privacy, Clock clock) {
        this.database = database;
        this.history = history;
        this.tables = privacy.tables();
        this.clock = clock;
    }

    /** Sweeps every {@code interval} from now on, on a thread of its own. */
    public void start(Duration interval) {
        schedule.start(interval);
    }

    private void sweepLogged() {
        try {
            int erased = sweep();
            if (erased > 0) {
                LOG.info("retention sweep erased {} conversations", erased);
            }
        } catch (RuntimeException e) {
            // the next interval tries again; a store that is away must not end the sweeps
            LOG.warn("retention sweep failed: {}", e.toString());
        }
    }

    /** One sweep over every workspace with a retention; answers how many conversations it erased. */
    public int sweep() {
        if (!claimLease()) {
            return 0;
        }
        int erased = 0;
        try {
            for (Retention retention : database.read(tables::retentions)) {
                long cutoff = clock.millis() - retention.days() * DAY_MS;
                int batch;
                do {
                    batch = history.eraseUpdatedBefore(retention.workspace(), cutoff, BATCH, (connection, count) ->
                            tables.audit(connection, retention.workspace(),
                                    new AuditEntry(clock.millis(), Optional.empty(), Action.RETENTION_SWEEP, count)));
                    erased += batch;
                    if (batch > 0) {
                        database.checkpointAfterErasure();
                    }
                } while (batch == BATCH && claimLease());
            }
        } finally {
            database.write(connection -> {
                tables.releaseLease(connection, holder);
                return null;
            });
        }
        return erased;
    }

    private boolean claimLease() {
        long now = clock.millis();
        return database.write(connection -> tables.claimLease(connection, holder, now, now + LEASE_MS));
    }

    @Override
    public void close() {
        schedule.close();
    }
}
