package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.store.Database;
import dev.parley.history.HistoryEvent;
import dev.parley.history.HistoryListener;
import dev.parley.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the outbox costs a write in a workspace without webhooks: one read of the webhooks
 * table's key, timed inside a write transaction as history calls it. Printed; the bound asserted
 * is loose, for a shared machine.
 */
class OutboxCostTest {

    private static final int EVENTS = 5_000;

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aWorkspaceWithoutWebhooksQueuesNothingAndIsToldTheCostOfLooking(TestStores store) {
        Config config = store.freshConfig();
        try (Database database = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry())) {
            long workspace = 1;
            HistoryListener listener = new Webhooks(database, Clock.systemUTC(), false).listener();
            HistoryEvent event = new HistoryEvent(HistoryEvent.Type.CONVERSATION_UPDATED, UUID.randomUUID(),
                    Optional.of(UUID.randomUUID()));
            long warm = timeEvents(database, listener, workspace, event);
            long nanos = timeEvents(database, listener, workspace, event);
            double micros = nanos / 1e3 / EVENTS;
            System.out.printf("%s: the outbox's look for webhooks costs %.1f µs an event (warm-up %.1f µs)%n",
                    store, micros, warm / 1e3 / EVENTS);
            // the figure is reported, not asserted (speed belongs to bench/); what must hold is that nothing is queued
            long queued = database.read(connection -> {
                try (var count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM webhook_deliveries WHERE workspace_id = ?")) {
                    count.setLong(1, workspace);
                    try (var rows = count.executeQuery()) {
                        rows.next();
                        return rows.getLong(1);
                    }
                }
            });
            assertThat(queued).isZero();
        }
    }

    private static long timeEvents(Database database, HistoryListener listener, long workspace,
                                   HistoryEvent event) {
        return database.write(connection -> {
            long started = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                listener.heard(connection, workspace, event);
            }
            return System.nanoTime() - started;
        });
    }
}
