package dev.parley.privacy;

import dev.parley.history.Exchange;
import dev.parley.history.HistoryWriter;
import dev.parley.privacy.AuditEntry.Action;
import dev.parley.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A workspace's privacy (SPEC §10): its settings, the redaction every write goes through, the
 * erasures that answer a data-subject request, and their audit log.
 *
 * <p>Settings are read for each write, not cached: several instances share one PostgreSQL, and a
 * change made through one must apply to the next write on any. The read is one row by primary key.
 */
public final class Privacy {

    private final Database database;
    private final HistoryWriter history;
    private final PrivacyTables tables;
    private final PhoneRegions phoneRegions;
    private final Clock clock;

    public Privacy(Database database, HistoryWriter history, PhoneRegions phoneRegions, Clock clock) {
        this.database = database;
        this.history = history;
        this.tables = new PrivacyTables(database.dialect());
        this.phoneRegions = phoneRegions;
        this.clock = clock;
    }

    public PrivacySettings settings(long workspace) {
        return database.readOne(connection -> tables.settings(connection, workspace));
    }

    /** Applies a change, merged into the current settings in one transaction; answers the result. */
    public PrivacySettings change(long workspace, SettingsChange change) {
        return database.write(connection -> {
            PrivacySettings changed = tables.settings(connection, workspace).with(change);
            tables.saveSettings(connection, workspace, changed);
            return changed;
        });
    }

    /** What the workspace's writes go through now. */
    public UnaryOperator<String> redactorFor(long workspace) {
        return redactor(settings(workspace).redaction());
    }

    UnaryOperator<String> redactor(Redaction kinds) {
        return kinds.any() ? new Redactor(kinds, phoneRegions) : UnaryOperator.identity();
    }

    /** An exchange as the workspace stores it: redacted by its settings of this moment. */
    public Exchange redact(long workspace, Exchange exchange) {
        UnaryOperator<String> redactor = redactorFor(workspace);
        return exchange.withTexts(redactor);
    }

    /** Deletes a conversation for a key, with its audit entry in the same transaction. */
    public boolean deleteConversation(long workspace, String keyId, UUID id) {
        boolean deleted = history.delete(workspace, id, (connection, count) -> tables.audit(connection, workspace,
                new AuditEntry(clock.millis(), Optional.of(keyId), Action.DELETE_CONVERSATION, count)));
        if (deleted) {
            database.checkpointAfterErasure();
        }
        return deleted;
    }

    /** Erases one end user's conversations for a key, with its audit entry in the same transaction. */
    public int eraseUser(long workspace, String keyId, String userId) {
        int erased = history.eraseUser(workspace, userId, (connection, count) -> tables.audit(connection, workspace,
                new AuditEntry(clock.millis(), Optional.of(keyId), Action.ERASE_USER, count)));
        if (erased > 0) {
            database.checkpointAfterErasure();
        }
        return erased;
    }

    /** The newest entries of the workspace's audit log, newest first. */
    public List<AuditEntry> auditLog(long workspace) {
        return database.read(connection -> tables.auditLog(connection, workspace));
    }

    PrivacyTables tables() {
        return tables;
    }
}
