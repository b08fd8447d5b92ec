package dev.parley.webhook;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The webhook tables and every statement on them. Ids are stored as text in both stores; each
 * statement names its workspace but the dispatcher's look for due deliveries, which reads only
 * the outbox's partial index.
 */
final class WebhookTables {

    private static final String DELIVERY_COLUMNS = "id, webhook_id, event_id, event_type, conversation_id, request_id,"
            + " occurred_at, state, attempts, last_status, last_error, last_attempt_at, next_attempt_at";

    private final Dialect dialect;

    WebhookTables(Dialect dialect) {
        this.dialect = dialect;
    }

    /** An endpoint and what signing and sending to it needs. */
    record Target(long workspace, UUID id, WebhookUrl url, String secret) {
    }

    /** The endpoint of a workspace that has deliveries due. */
    record Endpoint(long workspace, UUID webhookId) {
    }

    /** How many deliveries are owed, and when the oldest of their events happened. */
    record Depth(long owed, Optional<Long> oldestOccurredAt) {
    }

    void insert(Connection connection, long workspace, Webhook webhook, String secret) throws SQLException {
        update(connection, new Sql().append("INSERT INTO webhooks (workspace_id, id, url, events, secret, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", workspace, webhook.id().toString(), webhook.url().toString(),
                wire(webhook.events()), secret, webhook.createdAt()));
    }

    List<Webhook> list(Connection connection, long workspace) throws SQLException {
        return query(connection, new Sql().append("SELECT id, url, events, created_at FROM webhooks"
                + " WHERE workspace_id = ? ORDER BY created_at, id", workspace), WebhookTables::webhook);
    }

    /** The endpoints of a workspace, read by every write that causes an event: one indexed read. */
    List<Webhook> subscribers(Connection connection, long workspace) throws SQLException {
        return list(connection, workspace);
    }

    Optional<Target> target(Connection connection, long workspace, UUID id) throws SQLException {
        return query(connection, new Sql().append("SELECT url, secret FROM webhooks WHERE workspace_id = ? AND id = ?",
                workspace, id.toString()), rows -> new Target(workspace, id,
                new WebhookUrl(URI.create(rows.getString("url"))), rows.getString("secret"))).stream().findFirst();
    }

    boolean exists(Connection connection, long workspace, UUID id) throws SQLException {
        return !query(connection, new Sql().append("SELECT 1 FROM webhooks WHERE workspace_id = ? AND id = ?",
                workspace, id.toString()), rows -> 1).isEmpty();
    }

    /** Removes an endpoint and its deliveries, owed ones too; false when there was none. */
    boolean delete(Connection connection, long workspace, UUID id) throws SQLException {
        update(connection, new Sql().append("DELETE FROM webhook_deliveries WHERE workspace_id = ? AND webhook_id = ?",
                workspace, id.toString()));
        return update(connection, new Sql().append("DELETE FROM webhooks WHERE workspace_id = ? AND id = ?",
                workspace, id.toString())) > 0;
    }

    void enqueue(Connection connection, long workspace, UUID webhookId, UUID eventId, EventType type,
                 UUID conversationId, Optional<UUID> requestId, long occurredAt) throws SQLException {
        update(connection, new Sql().append("INSERT INTO webhook_deliveries (workspace_id, id, webhook_id, event_id,"
                        + " event_type, conversation_id, request_id, occurred_at, state, attempts, next_attempt_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)", workspace, UUID.randomUUID().toString(),
                webhookId.toString(), eventId.toString(), type.wireName(), conversationId.toString(),
                requestId.map(UUID::toString).orElse(null), occurredAt, Delivery.State.PENDING.wireName(), occurredAt));
    }

    List<Endpoint> dueEndpoints(Connection connection, long now, int limit) throws SQLException {
        return query(connection, new Sql().append("SELECT DISTINCT workspace_id, webhook_id FROM webhook_deliveries"
                        + " WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? LIMIT ?", now, limit),
                rows -> new Endpoint(rows.getLong("workspace_id"), UUID.fromString(rows.getString("webhook_id"))));
    }

    /**
     * Takes up to {@code max} due deliveries of one endpoint for this dispatcher: each is leased
     * (not due again until {@code leaseUntil}, so that an instance that dies mid-attempt only
     * delays it) and marked with this claim, without which its outcome is not recorded. On
     * PostgreSQL, rows another instance is claiming at this moment are skipped rather than
     * waited for (SKIP LOCKED); on SQLite the one writer makes every claim whole on its own.
     */
    List<Delivery> claim(Connection connection, Endpoint endpoint, long now, long leaseUntil, String claim, int max)
            throws SQLException {
        String skipLocked = dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        // MATERIALIZED: picked once; as a plain IN (subquery), PostgreSQL may run the LIMIT more
        // than once in one statement and so claim more than max rows
        return query(connection, new Sql().append("WITH picked AS MATERIALIZED (SELECT id FROM webhook_deliveries"
                        + " WHERE workspace_id = ? AND webhook_id = ? AND next_attempt_at IS NOT NULL"
                        + " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?" + skipLocked + ")"
                        + " UPDATE webhook_deliveries SET next_attempt_at = ?, claim = ?"
                        + " WHERE workspace_id = ? AND id IN (SELECT id FROM picked)"
                        + " RETURNING " + DELIVERY_COLUMNS, endpoint.workspace(), endpoint.webhookId().toString(),
                now, max, leaseUntil, claim, endpoint.workspace()), WebhookTables::delivery);
    }

    /** Records an attempt's outcome, if the claim is still this dispatcher's. */
    boolean settle(Connection connection, long workspace, UUID deliveryId, String claim, Sender.Outcome outcome,
                   long attemptedAt, Delivery.State state, Optional<Long> nextAttemptAt) throws SQLException {
        return update(connection, new Sql().append("UPDATE webhook_deliveries SET attempts = attempts + 1,"
                        + " last_status = ?, last_error = ?, last_attempt_at = ?, state = ?, next_attempt_at = ?,"
                        + " claim = NULL WHERE workspace_id = ? AND id = ? AND claim = ?",
                outcome.status().orElse(null), outcome.error().orElse(null), attemptedAt, state.wireName(),
                nextAttemptAt.orElse(null), workspace, deliveryId.toString(), claim)) > 0;
    }

    /** Gives a claimed delivery back, due at once, when its endpoint vanished or the dispatcher stops. */
    void release(Connection connection, long workspace, UUID deliveryId, String claim, long now) throws SQLException {
        update(connection, new Sql().append("UPDATE webhook_deliveries SET next_attempt_at = ?, claim = NULL"
                + " WHERE workspace_id = ? AND id = ? AND claim = ?", now, workspace, deliveryId.toString(), claim));
    }

    List<Delivery> recent(Connection connection, long workspace, UUID webhookId, int limit) throws SQLException {
        return query(connection, new Sql().append("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                + " WHERE workspace_id = ? AND webhook_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?",
                workspace, webhookId.toString(), limit), WebhookTables::delivery);
    }

    /** Makes a delivery due now, whatever became of it before; empty when there is no such delivery. */
    Optional<Delivery> retry(Connection connection, long workspace, UUID webhookId, UUID deliveryId, long now)
            throws SQLException {
        return query(connection, new Sql().append("UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?,"
                        + " claim = NULL WHERE workspace_id = ? AND webhook_id = ? AND id = ? RETURNING "
                        + DELIVERY_COLUMNS, Delivery.State.PENDING.wireName(), now, workspace, webhookId.toString(),
                deliveryId.toString()), WebhookTables::delivery).stream().findFirst();
    }

    Depth depth(Connection connection) throws SQLException {
        return query(connection, new Sql().append("SELECT COUNT(*) AS owed, MIN(occurred_at) AS oldest"
                + " FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL"), rows -> {
            long owed = rows.getLong("owed");
            long oldest = rows.getLong("oldest");
            return new Depth(owed, rows.wasNull() ? Optional.empty() : Optional.of(oldest));
        }).get(0);
    }

    private static Webhook webhook(ResultSet rows) throws SQLException {
        List<EventType> events = Arrays.stream(rows.getString("events").split(","))
                .map(name -> EventType.fromWire(name).orElseThrow()).toList();
        return new Webhook(UUID.fromString(rows.getString("id")), new WebhookUrl(URI.create(rows.getString("url"))),
                events, rows.getLong("created_at"));
    }

    private static Delivery delivery(ResultSet rows) throws SQLException {
        int status = rows.getInt("last_status");
        Optional<Integer> lastStatus = rows.wasNull() ? Optional.empty() : Optional.of(status);
        long attemptedAt = rows.getLong("last_attempt_at");
        Optional<Long> lastAttemptAt = rows.wasNull() ? Optional.empty() : Optional.of(attemptedAt);
        long next = rows.getLong("next_attempt_at");
        Optional<Long> nextAttemptAt = rows.wasNull() ? Optional.empty() : Optional.of(next);
        return new Delivery(UUID.fromString(rows.getString("id")), UUID.fromString(rows.getString("webhook_id")),
                UUID.fromString(rows.getString("event_id")),
                EventType.fromWire(rows.getString("event_type")).orElseThrow(),
                UUID.fromString(rows.getString("conversation_id")),
                Optional.ofNullable(rows.getString("request_id")).map(UUID::fromString), rows.getLong("occurred_at"),
                Delivery.State.valueOf(rows.getString("state").toUpperCase(java.util.Locale.ROOT)),
                rows.getInt("attempts"), lastStatus, Optional.ofNullable(rows.getString("last_error")), lastAttemptAt,
                nextAttemptAt);
    }

    private static String wire(List<EventType> events) {
        return events.stream().map(EventType::wireName).collect(Collectors.joining(","));
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> query(Connection connection, Sql sql, Row<T> row) throws SQLException {
        try (PreparedStatement statement = sql.prepare(connection, dialect);
             ResultSet rows = statement.executeQuery()) {
            List<T> found = new ArrayList<>();
            while (rows.next()) {
                found.add(row.read(rows));
            }
            return found;
        }
    }

    private int update(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement statement = sql.prepare(connection, dialect)) {
            return statement.executeUpdate();
        }
    }
}
