package dev.parley;

import dev.parley.api.Features;
import dev.parley.api.Routes;
import dev.parley.changes.Changes;
import dev.parley.history.History;
import dev.parley.history.HistoryListener;
import dev.parley.history.StatsCompaction;
import dev.parley.privacy.Privacy;
import dev.parley.privacy.RetentionSweep;
import dev.parley.privacy.StoredRedaction;
import dev.parley.store.Database;
import dev.parley.transfer.Export;
import dev.parley.transfer.Import;
import dev.parley.webhook.Webhooks;
import dev.parley.workspace.Keys;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/** The composition root: builds every part of Parley from a validated {@link Config}. */
public final class Parley implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Parley.class);

    private final Config config;
    private final PrometheusMeterRegistry meters;
    private final Database database;
    private final Keys keys;
    private final History history;
    private final Changes changes;
    private final Webhooks webhooks;
    private final Privacy privacy;
    private final Clock clock;
    private final RetentionSweep retentionSweep;
    private final StatsCompaction statsCompaction;
    private volatile boolean stopping;

    private Parley(Config config, PrometheusMeterRegistry meters, Database database, Clock clock) {
        this.config = config;
        this.meters = meters;
        this.database = database;
        this.clock = clock;
        this.keys = new Keys(database, clock);
        this.changes = new Changes(database, clock, config.tombstoneDays());
        this.webhooks = new Webhooks(database, clock, config.webhookAllowPrivate());
        this.history = History.of(database, clock, HistoryListener.all(changes.listener(), webhooks.listener()));
        this.privacy = new Privacy(database, history.writer(), config.phoneRegions(), clock);
        this.retentionSweep = new RetentionSweep(database, history.writer(), privacy, clock);
        this.statsCompaction = history.statsCompaction();
    }

    /**
     * Opens the store the configuration names, migrating its schema, and undoes the imports that
     * a process which has ended left unfinished.
     */
    public static Parley open(Config config) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Parley parley = new Parley(config, meters,
                Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                        config.databasePoolSize(), meters),
                Clock.systemUTC());
        try {
            parley.importer().undoAbandoned();
        } catch (RuntimeException e) {
            // the store may be briefly unwritable (a full disk): the next start tries again
            LOG.error("cannot undo the imports left unfinished yet", e);
        }
        return parley;
    }

    public Keys keys() {
        return keys;
    }

    public History history() {
        return history;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public Privacy privacy() {
        return privacy;
    }

    /** {@code workspace redact}: the workspace's redaction applied to the history it holds. */
    public StoredRedaction storedRedaction() {
        return new StoredRedaction(database, history.writer(), privacy, clock);
    }

    public RetentionSweep retentionSweep() {
        return retentionSweep;
    }

    /** Folds the stats rollup's deltas; {@link #serve} runs it every {@link StatsCompaction#INTERVAL}. */
    public StatsCompaction statsCompaction() {
        return statsCompaction;
    }

    public Export export() {
        return new Export(changes.feed());
    }

    public Import importer() {
        return new Import(history.writer(), privacy, database, clock);
    }

    /** The changes feed; {@link #serve} starts hearing other instances' commits. */
    public Changes changes() {
        return changes;
    }

    /** Starts the HTTP API on the configured port (0: any free one), with the JVM's own metrics. */
    public Javalin serve() {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        changes.start();
        io.micrometer.core.instrument.Gauge.builder("parley.changes.waiting", changes, Changes::waiting)
                .description("Requests to the changes feed waiting for a change").register(meters);
        webhooks.startDelivering(meters);
        Features features = new Features(keys, history, privacy, export(), importer(), changes, webhooks,
                // not ready from the moment it is told to stop: a balancer that asks takes it out first
                () -> !stopping && database.reachable(), meters,
                new Features.Settings(config.importMaxBytes(), config.rateLimit(), config.shutdownTimeout(),
                        config.maxConcurrentRequests(), config.maxQueuedRequests()));
        Javalin server = Routes.server(features);
        retentionSweep.start(config.retentionSweep());
        statsCompaction.start(StatsCompaction.INTERVAL);
        return config.host().map(host -> server.start(host, config.port())).orElseGet(() -> server.start(config.port()));
    }

    /** From now on {@code /readyz} answers 503, while requests are still served: the start of a stop. */
    public void stopping() {
        stopping = true;
    }

    @Override
    public void close() {
        retentionSweep.close();
        statsCompaction.close();
        webhooks.close();
        changes.close();
        database.close();
    }
}
