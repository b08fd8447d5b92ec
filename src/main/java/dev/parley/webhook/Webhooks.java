package dev.parley.webhook;

import dev.parley.history.HistoryListener;
import dev.parley.history.InvalidField;
import dev.parley.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhooks of SPEC §9: registering endpoints, the outbox that history's writes fill, and the
 * dispatcher that empties it (started by {@code serve} only, so that CLI commands only queue).
 */
public final class Webhooks implements AutoCloseable {

    /** How many deliveries the log of one endpoint lists, newest first. */
    public static final int RECENT_DELIVERIES = 100;

    private final Database database;
    private final WebhookTables tables;
    private final AddressPolicy policy;
    private final Clock clock;
    private final Wakeup wakeup = new Wakeup();
    private final Outbox outbox;
    private Dispatcher dispatcher;

    public Webhooks(Database database, Clock clock, boolean allowPrivateAddresses) {
        this.database = database;
        this.tables = new WebhookTables(database.dialect());
        this.policy = new AddressPolicy(allowPrivateAddresses);
        this.clock = clock;
        this.outbox = new Outbox(tables, clock, wakeup);
    }

    /** What history tells of each write, inside its transaction. */
    public HistoryListener listener() {
        return outbox;
    }

    /**
     * Registers an endpoint for these events (all when none are named). Its host must resolve,
     * and only to addresses the policy allows: else an {@link InvalidField} naming {@code url}.
     */
    public CreatedWebhook register(long workspace, WebhookUrl url, List<EventType> events) {
        try {
            policy.resolve(url.host());
        } catch (AddressPolicy.Refused refused) {
            throw new InvalidField("url", "cannot be used: " + refused.getMessage());
        }
        Webhook webhook = new Webhook(UUID.randomUUID(), url, events.isEmpty() ? List.of(EventType.values()) : events,
                clock.millis());
        String secret = Signature.newSecret();
        database.write(connection -> {
            tables.insert(connection, workspace, webhook, secret);
            return null;
        });
        return new CreatedWebhook(webhook, secret);
    }

    public List<Webhook> list(long workspace) {
        return database.read(connection -> tables.list(connection, workspace));
    }

    /** Removes an endpoint with the deliveries it is still owed; false when the workspace has none with that id. */
    public boolean delete(long workspace, UUID id) {
        return database.write(connection -> tables.delete(connection, workspace, id));
    }

    /** The endpoint's most recent deliveries, newest first; empty when the workspace has no such endpoint. */
    public Optional<List<Delivery>> deliveries(long workspace, UUID webhookId) {
        return database.read(connection -> tables.exists(connection, workspace, webhookId)
                ? Optional.of(tables.recent(connection, workspace, webhookId, RECENT_DELIVERIES)) : Optional.empty());
    }

    /**
     * Sends a delivery again, now, whatever became of it: it is owed again, retried on failure
     * like any other while its event is less than a day old. Empty when there is no such delivery.
     */
    public Optional<Delivery> retry(long workspace, UUID webhookId, UUID deliveryId) {
        Optional<Delivery> retried = database.write(connection ->
                tables.retry(connection, workspace, webhookId, deliveryId, clock.millis()));
        retried.ifPresent(delivery -> wakeup.nudge());
        return retried;
    }

    /** Starts delivering, with the outbox's depth and age and the attempts' outcomes on these meters. */
    public synchronized void startDelivering(MeterRegistry meters) {
        if (dispatcher != null) {
            return;
        }
        Gauge.builder("parley.webhook.outbox.depth", this, Webhooks::owed)
                .description("Webhook deliveries owed: due, being attempted, or waiting for a retry").register(meters);
        Gauge.builder("parley.webhook.outbox.oldest.age", this, Webhooks::oldestAgeSeconds).baseUnit("seconds")
                .description("How long ago the oldest event still owed to an endpoint happened").register(meters);
        dispatcher = new Dispatcher(database, tables, policy, clock, wakeup, meters);
        dispatcher.start();
    }

    private double owed() {
        try {
            return database.readOne(tables::depth).owed();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double oldestAgeSeconds() {
        try {
            return database.readOne(tables::depth).oldestOccurredAt()
                    .map(oldest -> Math.max(0, clock.millis() - oldest) / 1000.0).orElse(0.0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public synchronized void close() {
        if (dispatcher != null) {
            dispatcher.close();
            dispatcher = null;
        }
    }
}
