package dev.parley.privacy;

import dev.parley.history.HistoryWriter;
import dev.parley.privacy.AuditEntry.Action;
import dev.parley.privacy.PrivacyTables.RedactionRun;
import dev.parley.store.Database;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * {@code parley workspace redact}: applies the workspace's redaction setting to the history it
 * already holds. Small batches in id order, each its own short transaction, so that the bots'
 * writes go on between them; each batch records where the next begins, so an interrupted run
 * goes on from there (when the setting is still the one it began with), and writes its audit
 * entry with what it changed.
 */
public final class StoredRedaction {

    static final int BATCH = 100;

    private final Database database;
    private final HistoryWriter history;
    private final Privacy privacy;
    private final Clock clock;

    public StoredRedaction(Database database, HistoryWriter history, Privacy privacy, Clock clock) {
        this.database = database;
        this.history = history;
        this.privacy = privacy;
        this.clock = clock;
    }

    /** What a run did: conversations looked at in this run, and changed in all (resumed runs included). */
    public record Outcome(Redaction kinds, long seen, long changed, boolean resumed) {
    }

    /** Runs to the end, telling {@code progress} how many conversations each batch looked at. */
    public Outcome run(long workspace, IntConsumer progress) {
        PrivacyTables tables = privacy.tables();
        Redaction kinds = privacy.settings(workspace).redaction();
        Optional<RedactionRun> earlier = database.read(connection -> tables.redactionRun(connection, workspace))
                .filter(run -> run.kinds().equals(kinds));
        Optional<UUID> after = earlier.map(RedactionRun::after);
        long changed = earlier.map(RedactionRun::changed).orElse(0);
        long seen = 0;
        var redactor = privacy.redactor(kinds);
        while (true) {
            Optional<UUID> from = after;
            long changedBefore = changed;
            HistoryWriter.Rewritten batch = history.rewriteTexts(workspace, from, BATCH, redactor, (connection, count) -> {
                if (count > 0) {
                    tables.audit(connection, workspace, new AuditEntry(clock.millis(), Optional.empty(), Action.REDACT,
                            count));
                }
            });
            if (batch.last().isEmpty()) {
                database.write(connection -> {
                    tables.endRedactionRun(connection, workspace);
                    return null;
                });
                break;
            }
            changed = changedBefore + batch.changed();
            RedactionRun reached = new RedactionRun(kinds, batch.last().get(), (int) changed);
            database.write(connection -> {
                tables.saveRedactionRun(connection, workspace, reached);
                return null;
            });
            after = batch.last();
            seen += batch.seen();
            progress.accept(batch.seen());
        }
        if (changed > 0) {
            // the text that was replaced must not linger in the SQLite files either
            database.checkpointAfterErasure();
        }
        return new Outcome(kinds, seen, changed, earlier.isPresent());
    }
}
