package dev.parley.privacy;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/** The SQL of the privacy tables (migration V3), for both dialects. */
final class PrivacyTables {

    /** The newest entries {@code GET /v2/workspace/audit} answers. */
    static final int AUDIT_PAGE = 1000;

    private final Dialect dialect;

    PrivacyTables(Dialect dialect) {
        this.dialect = dialect;
    }

    /** One indexed row by primary key; a workspace without one has the defaults. */
    PrivacySettings settings(Connection connection, long workspace) throws SQLException {
        Sql select = new Sql().append("SELECT redact_email, redact_phone, redact_card, retention_days"
                + " FROM workspace_privacy WHERE workspace_id = ?", workspace);
        try (var query = select.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return PrivacySettings.DEFAULT;
            }
            int days = rows.getInt("retention_days");
            OptionalInt retention = rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(days);
            return new PrivacySettings(new Redaction(rows.getBoolean("redact_email"), rows.getBoolean("redact_phone"),
                    rows.getBoolean("redact_card")), retention);
        }
    }

    void saveSettings(Connection connection, long workspace, PrivacySettings settings) throws SQLException {
        try (var upsert = connection.prepareStatement("INSERT INTO workspace_privacy (workspace_id, redact_email,"
                + " redact_phone, redact_card, retention_days) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (workspace_id) DO UPDATE SET redact_email = excluded.redact_email,"
                + " redact_phone = excluded.redact_phone, redact_card = excluded.redact_card,"
                + " retention_days = excluded.retention_days")) {
            upsert.setLong(1, workspace);
            upsert.setBoolean(2, settings.redaction().email());
            upsert.setBoolean(3, settings.redaction().phone());
            upsert.setBoolean(4, settings.redaction().card());
            if (settings.retentionDays().isPresent()) {
                upsert.setInt(5, settings.retentionDays().getAsInt());
            } else {
                upsert.setNull(5, java.sql.Types.INTEGER);
            }
            upsert.executeUpdate();
        }
    }

    /** Workspaces whose history is kept for a number of days, with that number. */
    List<Retention> retentions(Connection connection) throws SQLException {
        Sql select = new Sql().append("SELECT workspace_id, retention_days FROM workspace_privacy"
                + " WHERE retention_days IS NOT NULL ORDER BY workspace_id");
        try (var query = select.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            List<Retention> found = new ArrayList<>();
            while (rows.next()) {
                found.add(new Retention(rows.getLong("workspace_id"), rows.getInt("retention_days")));
            }
            return found;
        }
    }

    record Retention(long workspace, int days) {
    }

    void audit(Connection connection, long workspace, AuditEntry entry) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO privacy_audit (workspace_id, at, key_id, action,"
                + " conversations) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, workspace);
            insert.setLong(2, entry.at());
            insert.setString(3, entry.keyId().orElse(null));
            insert.setString(4, entry.action().wireName());
            insert.setInt(5, entry.conversations());
            insert.executeUpdate();
        }
    }

    List<AuditEntry> auditLog(Connection connection, long workspace) throws SQLException {
        Sql select = new Sql().append("SELECT at, key_id, action, conversations FROM privacy_audit"
                + " WHERE workspace_id = ? ORDER BY id DESC LIMIT ?", workspace, AUDIT_PAGE);
        try (var query = select.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            List<AuditEntry> entries = new ArrayList<>();
            while (rows.next()) {
                entries.add(new AuditEntry(rows.getLong("at"), Optional.ofNullable(rows.getString("key_id")),
                        AuditEntry.Action.fromWire(rows.getString("action")), rows.getInt("conversations")));
            }
            return entries;
        }
    }

    /**
     * Takes or renews the sweep lease for {@code holder} until {@code until} when it is free
     * (expired) or already this holder's; true when it is now this holder's. One conditional
     * UPDATE: two instances racing for it cannot both succeed.
     */
    boolean claimLease(Connection connection, String holder, long now, long until) throws SQLException {
        Sql update = new Sql().append("UPDATE retention_lease SET holder = ?, until = ? WHERE id = 1"
                + " AND (until < ? OR holder = ?)", holder, until, now, holder);
        try (var statement = update.prepare(connection, dialect)) {
            return statement.executeUpdate() == 1;
        }
    }

    void releaseLease(Connection connection, String holder) throws SQLException {
        Sql update = new Sql().append("UPDATE retention_lease SET until = 0 WHERE id = 1 AND holder = ?", holder);
        try (var statement = update.prepare(connection, dialect)) {
            statement.executeUpdate();
        }
    }

    /** Where an interrupted {@code workspace redact} of these kinds goes on from. */
    record RedactionRun(Redaction kinds, UUID after, int changed) {
    }

    Optional<RedactionRun> redactionRun(Connection connection, long workspace) throws SQLException {
        Sql select = new Sql().append("SELECT kinds, after_id, changed FROM redaction_runs WHERE workspace_id = ?",
                workspace);
        try (var query = select.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            return rows.next()
                    ? Optional.of(new RedactionRun(Redaction.parse(rows.getString("kinds")),
                            UUID.fromString(rows.getString("after_id")), rows.getInt("changed")))
                    : Optional.empty();
        }
    }

    void saveRedactionRun(Connection connection, long workspace, RedactionRun run) throws SQLException {
        Sql upsert = new Sql().append("INSERT INTO redaction_runs (workspace_id, kinds, after_id, changed)"
                        + " VALUES (?, ?, ?, ?)", workspace, run.kinds().describe(), run.after().toString(), run.changed())
                .append(" ON CONFLICT (workspace_id) DO UPDATE SET kinds = excluded.kinds,"
                        + " after_id = excluded.after_id, changed = excluded.changed");
        try (var statement = upsert.prepare(connection, dialect)) {
            statement.executeUpdate();
        }
    }

    void endRedactionRun(Connection connection, long workspace) throws SQLException {
        Sql delete = new Sql().append("DELETE FROM redaction_runs WHERE workspace_id = ?", workspace);
        try (var statement = delete.prepare(connection, dialect)) {
            statement.executeUpdate();
        }
    }
}
