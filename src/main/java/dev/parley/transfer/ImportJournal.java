package dev.parley.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.history.HistoryJson;
import dev.parley.history.ImportRecord;
import dev.parley.history.Snapshot;
import dev.parley.store.Database;
import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code import_runs} and {@code import_undo} tables: the imports in progress, and for each
 * conversation one of them wrote, what it replaced. An import commits in chunks; this journal,
 * written in each chunk's transaction, is what undoes it whole when it fails, or when its process
 * died and another process starts.
 */
final class ImportJournal {

    /** An import's process renews its lease with every chunk; past it, any process may undo the import. */
    static final Duration LEASE = Duration.ofMinutes(2);

    enum State { RUNNING, UNDOING, DONE }

    /** An import in progress as the journal holds it. */
    record Run(long workspace, UUID id, String owner, State state, long leaseUntil) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FINGERPRINTS = new TypeReference<>() { };

    private final Database database;
    private final Dialect dialect;
    private final Clock clock;
    private final String owner = Owner.current();

    ImportJournal(Database database, Clock clock) {
        this.database = database;
        this.dialect = database.dialect();
        this.clock = clock;
    }

    Run begin(long workspace) {
        Run run = new Run(workspace, UUID.randomUUID(), owner, State.RUNNING, leaseFromNow());
        database.write(connection -> {
            Row row = new Row().set("workspace_id", workspace).set("id", run.id()).set("owner", owner)
                    .set("state", run.state().name()).set("lease_until", run.leaseUntil());
            try (PreparedStatement insert = Sql.insert("import_runs", row).prepare(connection, dialect)) {
                insert.executeUpdate();
            }
            return null;
        });
        return run;
    }

    /** What the run's chunks (or undoes) record, in their own transactions. */
    ImportRecord record(Run run) {
        return new ImportRecord() {
            @Override
            public void wrote(Connection connection, List<Snapshot> replaced, List<UUID> created, long changeSeq)
                    throws SQLException {
                renew(connection, run);
                List<Row> rows = new ArrayList<>(replaced.size() + created.size());
                for (Snapshot snapshot : replaced) {
                    rows.add(undoRow(run, snapshot.conversation().id(), lineOf(snapshot), jsonOf(snapshot.fingerprints()),
                            changeSeq));
                }
                for (UUID id : created) {
                    rows.add(undoRow(run, id, null, null, changeSeq));
                }
                if (rows.isEmpty()) {
                    return;
                }
                // One statement a chunk, found by the primary key whatever the planner knows of this
                // young table (a lookup by "= ANY" read the whole run's rows for every chunk). A
                // conversation an earlier chunk journaled keeps what that chunk found.
                Sql upsert = Sql.insert("import_undo", rows).append(" ON CONFLICT (workspace_id, import_id,"
                        + " conversation_id) DO UPDATE SET written_seq = excluded.written_seq");
                try (PreparedStatement insert = upsert.prepare(connection, dialect)) {
                    insert.executeUpdate();
                }
            }

            @Override
            public void undid(Connection connection, List<UUID> ids) throws SQLException {
                renew(connection, run);
                forgetThrough(connection, run, ids.get(ids.size() - 1)); // the last of them in id order
            }
        };
    }

    /** The next conversations of the run to put back, in id order. */
    List<ImportRecord.Undo> pending(Run run, int limit) {
        return database.read(connection -> {
            Sql sql = new Sql().append("SELECT conversation_id, replaced, fingerprints, written_seq FROM import_undo"
                    + " WHERE workspace_id = ? AND import_id = ? ORDER BY conversation_id LIMIT ?",
                    run.workspace(), run.id(), limit);
            List<ImportRecord.Undo> undos = new ArrayList<>();
            try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String replaced = rows.getString("replaced");
                    Optional<Snapshot> before = replaced == null ? Optional.empty()
                            : Optional.of(new Snapshot(Import.parse(replaced, 0), fingerprints(rows.getString(
                            "fingerprints"))));
                    undos.add(new ImportRecord.Undo(dialect.getId(rows, "conversation_id"), before,
                            rows.getLong("written_seq")));
                }
            }
            return undos;
        });
    }

    /** Moves the run to another state, renewing its lease; answers it as it now is. */
    Run moveTo(Run run, State state) {
        long until = leaseFromNow();
        int moved = database.write(connection -> {
            Sql sql = Sql.update("import_runs", new Row().set("state", state.name()).set("lease_until", until))
                    .append(" WHERE workspace_id = ? AND id = ? AND owner = ?", run.workspace(), run.id(), run.owner());
            try (PreparedStatement update = sql.prepare(connection, dialect)) {
                return update.executeUpdate();
            }
        });
        if (moved == 0) {
            throw new IllegalStateException("import " + run.id() + " was taken over by another process");
        }
        return new Run(run.workspace(), run.id(), run.owner(), state, until);
    }

    /** Forgets up to {@code limit} journal rows of a run that is done; false when none were left. */
    boolean clearSome(Run run, int limit) {
        return database.writeAlone(connection -> {
            Optional<UUID> last = Optional.empty();
            Sql sql = new Sql().append("SELECT conversation_id FROM import_undo WHERE workspace_id = ? AND import_id = ?"
                    + " ORDER BY conversation_id LIMIT ?", run.workspace(), run.id(), limit);
            try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    last = Optional.of(dialect.getId(rows, "conversation_id"));
                }
            }
            if (last.isPresent()) {
                forgetThrough(connection, run, last.get());
            }
            return last.isPresent();
        });
    }

    /** The run is over: its journal rows are gone, and now its own. */
    void end(Run run) {
        database.write(connection -> {
            Sql sql = new Sql().append("DELETE FROM import_runs WHERE workspace_id = ? AND id = ? AND owner = ?",
                    run.workspace(), run.id(), run.owner());
            try (PreparedStatement delete = sql.prepare(connection, dialect)) {
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** Runs whose process has ended (on this host), or whose lease has lapsed. */
    List<Run> abandoned() {
        long now = clock.millis();
        return database.read(connection -> {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT workspace_id, id, owner, state, lease_until FROM import_runs");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Run run = new Run(rows.getLong("workspace_id"), dialect.getId(rows, "id"), rows.getString("owner"),
                            State.valueOf(rows.getString("state")), rows.getLong("lease_until"));
                    if (run.leaseUntil() < now || Owner.gone(run.owner())) {
                        runs.add(run);
                    }
                }
            }
            return runs;
        });
    }

    /** Makes an abandoned run this process's, unless another process took it first. */
    Optional<Run> takeOver(Run run) {
        State state = run.state() == State.DONE ? State.DONE : State.UNDOING;
        long until = leaseFromNow();
        int taken = database.write(connection -> {
            Sql sql = Sql.update("import_runs", new Row().set("owner", owner).set("state", state.name())
                            .set("lease_until", until))
                    .append(" WHERE workspace_id = ? AND id = ? AND owner = ? AND lease_until = ?", run.workspace(),
                            run.id(), run.owner(), run.leaseUntil());
            try (PreparedStatement update = sql.prepare(connection, dialect)) {
                return update.executeUpdate();
            }
        });
        return taken == 1 ? Optional.of(new Run(run.workspace(), run.id(), owner, state, until)) : Optional.empty();
    }

    /** Every chunk renews the run's lease, and finds out that it is still this process's to write. */
    private void renew(Connection connection, Run run) throws SQLException {
        Sql sql = Sql.update("import_runs", new Row().set("lease_until", leaseFromNow()))
                .append(" WHERE workspace_id = ? AND id = ? AND owner = ? AND state = ?", run.workspace(), run.id(),
                        run.owner(), run.state().name());
        try (PreparedStatement update = sql.prepare(connection, dialect)) {
            if (update.executeUpdate() == 0) {
                throw new IllegalStateException("import " + run.id() + " was taken over by another process");
            }
        }
    }

    private static Row undoRow(Run run, UUID conversation, String replaced, String fingerprints, long changeSeq) {
        return new Row().set("workspace_id", run.workspace()).set("import_id", run.id())
                .set("conversation_id", conversation).set("replaced", replaced).set("fingerprints", fingerprints)
                .set("written_seq", changeSeq);
    }

    /**
     * Forgets the run's journal rows from its first one up to {@code last}, in id order: a range of
     * the primary key's last column, where a list of ids was only a filter over all the run's rows.
     */
    private void forgetThrough(Connection connection, Run run, UUID last) throws SQLException {
        Sql sql = new Sql().append("DELETE FROM import_undo WHERE workspace_id = ? AND import_id = ?"
                + " AND conversation_id <= ?", run.workspace(), run.id(), last);
        try (PreparedStatement delete = sql.prepare(connection, dialect)) {
            delete.executeUpdate();
        }
    }

    private long leaseFromNow() {
        return clock.millis() + LEASE.toMillis();
    }

    /** A replaced conversation as its export line: the import's own parser reads it back. */
    private static String lineOf(Snapshot snapshot) {
        StringWriter line = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(line)) {
            HistoryJson.writeConversation(out, snapshot.conversation());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }

    private static String jsonOf(Map<UUID, String> fingerprints) {
        try {
            return MAPPER.writeValueAsString(fingerprints);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<UUID, String> fingerprints(String json) {
        try {
            Map<UUID, String> byRequest = new HashMap<>();
            MAPPER.readValue(json, FINGERPRINTS).forEach((id, hash) -> byRequest.put(UUID.fromString(id), hash));
            return byRequest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Which process runs an import: host, pid and the process's start time (a pid alone may be
     * reused). On its own host a process can tell at once that the owner has ended; elsewhere only
     * the lease tells.
     */
    static final class Owner {

        private static final String HOST = host();

        private Owner() {
        }

        static String current() {
            ProcessHandle self = ProcessHandle.current();
            return HOST + " " + self.pid() + " " + startOf(self);
        }

        static boolean gone(String owner) {
            String[] parts = owner.split(" ");
            if (parts.length != 3 || !parts[0].equals(HOST)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(parts[1]));
            return process.isEmpty() || !process.get().isAlive() || startOf(process.get()) != Long.parseLong(parts[2]);
        }

        private static long startOf(ProcessHandle process) {
            return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        }

        private static String host() {
            try {
                return InetAddress.getLocalHost().getHostName().replace(' ', '_');
            } catch (IOException e) {
                return "unknown-host";
            }
        }
    }
}
