package dev.parley.workspace;

import dev.parley.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Workspaces and their API keys: making, listing, revoking, and checking a presented secret. */
public final class Keys {

    /** The id of the key that {@code PARLEY_BOOTSTRAP_KEY} opens; replaced when the setting changes. */
    static final String BOOTSTRAP_KEY_ID = "key_bootstrap";

    private final Database database;
    private final Clock clock;

    public Keys(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Makes a key for a workspace, making the workspace too when it is new. */
    public CreatedKey create(WorkspaceName workspace, Set<Scope> scopes) {
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope: read, write");
        }
        String secret = Secrets.newSecret();
        ApiKey key = new ApiKey(Secrets.newKeyId(), workspace.value(), scopes, clock.millis(), Optional.empty());
        database.write(connection -> {
            insertKey(connection, ensureWorkspace(connection, workspace), key, Secrets.hash(secret));
            return null;
        });
        return new CreatedKey(key, secret);
    }

    public List<ApiKey> list(Optional<WorkspaceName> workspace) {
        return database.read(connection -> {
            if (workspace.isPresent() && workspaceId(connection, workspace.get()).isEmpty()) {
                throw new NoSuchWorkspace(workspace.get().value());
            }
            String sql = "SELECT k.id, w.name, k.scopes, k.created_at, k.revoked_at"
                    + " FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id"
                    + (workspace.isPresent() ? " WHERE w.name = ?" : "")
                    + " ORDER BY w.name, k.created_at, k.id";
            try (var query = connection.prepareStatement(sql)) {
                if (workspace.isPresent()) {
                    query.setString(1, workspace.get().value());
                }
                List<ApiKey> keys = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        long revokedAt = rows.getLong("revoked_at");
                        Optional<Long> revoked = rows.wasNull() ? Optional.empty() : Optional.of(revokedAt);
                        keys.add(new ApiKey(rows.getString("id"), rows.getString("name"),
                                Scope.parseList(rows.getString("scopes")), rows.getLong("created_at"), revoked));
                    }
                }
                return List.copyOf(keys);
            }
        });
    }

    /** Revokes a key; the next request that presents it is refused. Revoking twice is harmless. */
    public void revoke(String keyId) {
        int found = database.write(connection -> {
            try (var update = connection.prepareStatement(
                    "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
                update.setLong(1, clock.millis());
                update.setString(2, keyId);
                return update.executeUpdate();
            }
        });
        if (found == 0) {
            throw new NoSuchKey(keyId);
        }
    }

    /**
     * The workspace and scopes a presented secret opens, if any. The lookup is by SHA-256 hash,
     * so its timing says nothing about how close a guess came; the final comparison is constant-time.
     */
    public Optional<Principal> authenticate(String secret) {
        String hash = Secrets.hash(secret);
        return database.readOne(connection -> {
            try (var query = connection.prepareStatement(
                    "SELECT k.workspace_id, w.name, k.id, k.scopes, k.secret_hash FROM api_keys k"
                            + " JOIN workspaces w ON w.id = k.workspace_id"
                            + " WHERE k.secret_hash = ? AND k.revoked_at IS NULL")) {
                query.setString(1, hash);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next() && Secrets.sameHash(hash, rows.getString("secret_hash"))) {
                        return Optional.of(new Principal(rows.getLong("workspace_id"), rows.getString("name"),
                                rows.getString("id"), Scope.parseList(rows.getString("scopes"))));
                    }
                    return Optional.empty();
                }
            }
        });
    }

    /**
     * Makes sure workspace {@code default} exists and that this secret opens it with every scope.
     * Instances that start together on one PostgreSQL all do this at once: the key is written by
     * one upsert, which the others wait for and then find done, never by a delete and an insert
     * that two of them could both run.
     */
    public void ensureBootstrapKey(String secret) {
        String hash = Secrets.hash(secret);
        database.write(connection -> {
            long workspaceId = ensureWorkspace(connection, WorkspaceName.DEFAULT);
            try (var delete = connection.prepareStatement("DELETE FROM api_keys WHERE secret_hash = ? AND id <> ?")) {
                delete.setString(1, hash); // the secret was another key's before: it is the bootstrap key's now
                delete.setString(2, BOOTSTRAP_KEY_ID);
                delete.executeUpdate();
            }
            try (var upsert = connection.prepareStatement(
                    "INSERT INTO api_keys (workspace_id, id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET workspace_id = excluded.workspace_id,"
                            + " secret_hash = excluded.secret_hash, scopes = excluded.scopes,"
                            + " created_at = excluded.created_at, revoked_at = NULL"
                            + " WHERE api_keys.secret_hash <> excluded.secret_hash OR api_keys.scopes <> excluded.scopes"
                            + " OR api_keys.workspace_id <> excluded.workspace_id OR api_keys.revoked_at IS NOT NULL")) {
                upsert.setLong(1, workspaceId);
                upsert.setString(2, BOOTSTRAP_KEY_ID);
                upsert.setString(3, hash);
                upsert.setString(4, Scope.format(Scope.all()));
                upsert.setLong(5, clock.millis());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * On a store with no workspace yet: makes {@code default} and a key with every scope for it.
     * Of instances starting together on an empty store, only the one whose insert made the
     * workspace makes the key, so one key is made and announced, not one each.
     */
    public Optional<CreatedKey> createFirstKeyIfEmpty() {
        String secret = Secrets.newSecret();
        ApiKey key = new ApiKey(Secrets.newKeyId(), WorkspaceName.DEFAULT.value(), Scope.all(),
                clock.millis(), Optional.empty());
        boolean created = database.write(connection -> {
            try (var count = connection.prepareStatement("SELECT COUNT(*) FROM workspaces");
                 ResultSet rows = count.executeQuery()) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return false;
                }
            }
            if (!insertWorkspace(connection, WorkspaceName.DEFAULT)) {
                return false;
            }
            insertKey(connection, workspaceId(connection, WorkspaceName.DEFAULT).orElseThrow(), key,
                    Secrets.hash(secret));
            return true;
        });
        return created ? Optional.of(new CreatedKey(key, secret)) : Optional.empty();
    }

    /** The id of an existing workspace: reading one never makes it. */
    public long requireWorkspace(WorkspaceName name) {
        return findWorkspace(name).orElseThrow(() -> new NoSuchWorkspace(name.value()));
    }

    /** The id of the workspace with this name, if there is one; never makes it. */
    public Optional<Long> findWorkspace(WorkspaceName name) {
        return database.read(connection -> workspaceId(connection, name));
    }

    /** The id of a workspace, made when it is new. */
    public long ensureWorkspace(WorkspaceName name) {
        return database.write(connection -> ensureWorkspace(connection, name));
    }

    private long ensureWorkspace(Connection connection, WorkspaceName name) throws SQLException {
        Optional<Long> existing = workspaceId(connection, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        insertWorkspace(connection, name);
        return workspaceId(connection, name).orElseThrow();
    }

    /** Whether this insert made the workspace; one made at the same time by another instance wins. */
    private boolean insertWorkspace(Connection connection, WorkspaceName name) throws SQLException {
        try (var insert = connection.prepareStatement(
                "INSERT INTO workspaces (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name.value());
            insert.setLong(2, clock.millis());
            return insert.executeUpdate() == 1;
        }
    }

    private static Optional<Long> workspaceId(Connection connection, WorkspaceName name) throws SQLException {
        try (var query = connection.prepareStatement("SELECT id FROM workspaces WHERE name = ?")) {
            query.setString(1, name.value());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    private static void insertKey(Connection connection, long workspaceId, ApiKey key, String hash)
            throws SQLException {
        try (var insert = connection.prepareStatement(
                "INSERT INTO api_keys (workspace_id, id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, workspaceId);
            insert.setString(2, key.id());
            insert.setString(3, hash);
            insert.setString(4, Scope.format(key.scopes()));
            insert.setLong(5, key.createdAt());
            insert.executeUpdate();
        }
    }
}
