package dev.parley;

import dev.parley.api.Features;
import dev.parley.api.Routes;
import dev.parley.history.History;
import dev.parley.stats.StatsReport;
import dev.parley.store.Database;
import dev.parley.transfer.Export;
import dev.parley.transfer.Import;
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

    private final Config config;
    private final PrometheusMeterRegistry meters;
    private final Database database;
    private final Keys keys;
    private final History history;
    private volatile boolean stopping;

    private Parley(Config config, PrometheusMeterRegistry meters, Database database, Clock clock) {
        this.config = config;
        this.meters = meters;
        this.database = database;
        this.keys = new Keys(database, clock);
        this.history = new History(database, clock);
    }

    /** Opens the store the configuration names, migrating its schema. */
    public static Parley open(Config config) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new Parley(config, meters,
                Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                        config.databasePoolSize(), meters),
                Clock.systemUTC());
    }

    public Keys keys() {
        return keys;
    }

    public History history() {
        return history;
    }

    public Export export() {
        return new Export(history);
    }

    public Import importer() {
        return new Import(history);
    }

    public StatsReport stats() {
        return new StatsReport(database);
    }

    /** Starts the HTTP API on the configured port (0: any free one), with the JVM's own metrics. */
    public Javalin serve() {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        // not ready from the moment it is told to stop: a balancer that asks takes it out first
        Features features = new Features(keys, history, export(), importer(), stats(),
                () -> !stopping && database.reachable(), meters,
                new Features.Settings(config.importMaxBytes(), config.rateLimit(), config.shutdownTimeout(),
                        config.maxConcurrentRequests(), config.maxQueuedRequests()));
        Javalin server = Routes.server(features);
        return config.host().map(host -> server.start(host, config.port())).orElseGet(() -> server.start(config.port()));
    }

    /** From now on {@code /readyz} answers 503, while requests are still served: the start of a stop. */
    public void stopping() {
        stopping = true;
    }

    @Override
    public void close() {
        database.close();
    }
}
