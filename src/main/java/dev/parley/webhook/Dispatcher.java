package dev.parley.webhook;

import dev.parley.store.Database;
import dev.parley.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the outbox holds, on every instance that serves. One thread looks for endpoints
 * with deliveries due, claims some of each (a lease, so that two instances never attempt the
 * same delivery at once and a dead instance's claims come due again), and hands each to a
 * sender thread. Endpoints are kept apart: each has at most {@link #PER_ENDPOINT} attempts in
 * flight, and a claim is made only for a sender that is free, so one endpoint that hangs holds
 * two senders for ten seconds and never the others, nor a delivery claimed for them.
 */
final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final int PER_ENDPOINT = 2;
    static final int SENDERS = 32;
    /** Longer than an attempt can take ({@link Sender#TIMEOUT}, with a name lookup before it). */
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofSeconds(1);
    /** After a nudge the rows may not be committed yet: look again this often for a while. */
    private static final Duration SOON = Duration.ofMillis(20);
    private static final Duration NUDGE_WINDOW = Duration.ofMillis(500);
    private static final int ENDPOINTS_PER_LOOK = 256;

    private final Database database;
    private final WebhookTables tables;
    private final AddressPolicy policy;
    private final Clock clock;
    private final Wakeup wakeup;
    private final Backoff backoff = new Backoff(() -> ThreadLocalRandom.current().nextDouble());
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, daemons("webhook-sender"));
    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(daemons("webhook-deadlines"));
    private final Sender sender = new Sender(deadlines);
    private final Map<WebhookTables.Endpoint, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger busySenders = new AtomicInteger();
    private final Map<String, Counter> outcomes = new LinkedHashMap<>();
    private final Thread loop;
    private volatile boolean stopping;

    Dispatcher(Database database, WebhookTables tables, AddressPolicy policy, Clock clock, Wakeup wakeup,
               MeterRegistry meters) {
        this.database = database;
        this.tables = tables;
        this.policy = policy;
        this.clock = clock;
        this.wakeup = wakeup;
        for (String outcome : List.of("delivered", "failed", "refused", "gave_up")) {
            outcomes.put(outcome, Counter.builder("parley.webhook.deliveries").tag("outcome", outcome)
                    .description("Webhook delivery attempts by outcome: delivered (2xx), failed (to be retried),"
                            + " refused (the address is not allowed), gave_up (the last attempt, a day on)")
                    .register(meters));
        }
        this.loop = new Thread(this::run, "webhook-dispatcher");
        loop.setDaemon(true);
    }

    void start() {
        loop.start();
    }

    private void run() {
        while (!stopping) {
            boolean claimed = false;
            try {
                claimed = dispatchDue();
            } catch (StoreException e) {
                LOG.warn("webhook dispatcher cannot reach the store: {}", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("webhook dispatcher failed; it goes on", e);
            }
            if (claimed) {
                continue;
            }
            try {
                wakeup.await(wakeup.nudgedWithin(NUDGE_WINDOW) ? SOON : POLL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Claims and starts what is due and has a free sender; true when it started any. */
    private boolean dispatchDue() {
        long now = clock.millis();
        List<WebhookTables.Endpoint> due = database.read(connection ->
                tables.dueEndpoints(connection, now, ENDPOINTS_PER_LOOK));
        boolean started = false;
        for (WebhookTables.Endpoint endpoint : due) {
            AtomicInteger endpointBusy = inFlight.computeIfAbsent(endpoint, key -> new AtomicInteger());
            int free = Math.min(PER_ENDPOINT - endpointBusy.get(), SENDERS - busySenders.get());
            if (free <= 0 || stopping) {
                continue;
            }
            String claim = UUID.randomUUID().toString();
            List<Delivery> claimed = database.write(connection ->
                    tables.claim(connection, endpoint, now, now + LEASE.toMillis(), claim, free));
            if (claimed.isEmpty()) {
                continue;
            }
            Optional<WebhookTables.Target> target = database.read(connection ->
                    tables.target(connection, endpoint.workspace(), endpoint.webhookId()));
            if (target.isEmpty()) {
                continue; // deleted since: its deliveries went with it
            }
            if (claimed.size() > free) {
                // never more than the senders free for it: the rest are given back, due at once
                List<Delivery> extra = claimed.subList(free, claimed.size());
                database.write(connection -> {
                    for (Delivery delivery : extra) {
                        tables.release(connection, endpoint.workspace(), delivery.id(), claim, now);
                    }
                    return null;
                });
                claimed = claimed.subList(0, free);
            }
            for (Delivery delivery : claimed) {
                endpointBusy.incrementAndGet();
                busySenders.incrementAndGet();
                senders.execute(() -> attempt(target.get(), delivery, claim, endpointBusy));
                started = true;
            }
        }
        return started;
    }

    private void attempt(WebhookTables.Target target, Delivery delivery, String claim, AtomicInteger endpointBusy) {
        try {
            long attemptedAt = clock.millis();
            String outcomeName;
            Sender.Outcome outcome;
            try {
                InetAddress address = policy.resolve(target.url().host()).get(0);
                outcome = sender.post(target.url(), address, headers(target, delivery, attemptedAt),
                        delivery.payload());
                outcomeName = outcome.delivered() ? "delivered" : "failed";
            } catch (AddressPolicy.Refused refused) {
                outcome = Sender.Outcome.failed("refused: " + refused.getMessage());
                outcomeName = "refused";
            }
            long finished = clock.millis();
            Delivery.State state = Delivery.State.PENDING;
            Optional<Long> next = Optional.empty();
            if (outcome.delivered()) {
                state = Delivery.State.DELIVERED;
            } else if (Backoff.givesUp(delivery.occurredAt(), finished)) {
                state = Delivery.State.FAILED;
                outcomeName = "gave_up";
            } else {
                next = Optional.of(finished + backoff.after(delivery.attempts() + 1).toMillis());
            }
            Sender.Outcome settled = outcome;
            Delivery.State settledState = state;
            Optional<Long> settledNext = next;
            database.write(connection -> tables.settle(connection, target.workspace(), delivery.id(), claim, settled,
                    attemptedAt, settledState, settledNext));
            outcomes.get(outcomeName).increment();
        } catch (RuntimeException e) {
            // the lease runs out and the delivery comes due again
            LOG.warn("webhook delivery {} could not be settled: {}", delivery.id(), e.toString());
        } finally {
            endpointBusy.decrementAndGet();
            busySenders.decrementAndGet();
            wakeup.nudge();
        }
    }

    /** The Standard Webhooks headers: the event's id on every attempt, this attempt's time, the signature. */
    private static Map<String, String> headers(WebhookTables.Target target, Delivery delivery, long now) {
        long seconds = now / 1000;
        String id = delivery.eventId().toString();
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(seconds),
                "webhook-signature", Signature.sign(target.secret(), id, seconds, delivery.payload()));
    }

    /** Stops looking and sending; attempts still running are abandoned to their leases. */
    @Override
    public void close() {
        stopping = true;
        loop.interrupt();
        senders.shutdownNow();
        deadlines.shutdownNow();
        try {
            loop.join(2_000);
            senders.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
