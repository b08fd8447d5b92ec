package dev.parley.webhook;

import dev.parley.history.HistoryEvent;
import dev.parley.history.HistoryListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Writes an event's deliveries in the transaction of the write that caused it, one per endpoint
 * of the workspace that wants it: they commit, or roll back, with the write. A workspace without
 * webhooks costs a write one read of the webhooks table's primary key.
 */
final class Outbox implements HistoryListener {

    private final WebhookTables tables;
    private final Clock clock;
    private final Wakeup wakeup;

    Outbox(WebhookTables tables, Clock clock, Wakeup wakeup) {
        this.tables = tables;
        this.clock = clock;
        this.wakeup = wakeup;
    }

    @Override
    public void heard(Connection connection, long workspace, HistoryEvent event) throws SQLException {
        heardAll(connection, workspace, List.of(event));
    }

    /** The workspace's webhooks are read once for all the events (a bulk load has thousands). */
    @Override
    public void heardAll(Connection connection, long workspace, List<HistoryEvent> events) throws SQLException {
        List<Webhook> subscribers = tables.subscribers(connection, workspace);
        if (subscribers.isEmpty()) {
            return;
        }
        long now = clock.millis();
        boolean queued = false;
        for (HistoryEvent event : events) {
            EventType type = EventType.of(event.type());
            UUID eventId = UUID.randomUUID();
            for (Webhook webhook : subscribers) {
                if (webhook.wants(type)) {
                    tables.enqueue(connection, workspace, webhook.id(), eventId, type, event.conversationId(),
                            event.requestId(), now);
                    queued = true;
                }
            }
        }
        if (queued) {
            // before the commit: the dispatcher looks again shortly after a nudge until it finds the rows
            wakeup.nudge();
        }
    }
}
