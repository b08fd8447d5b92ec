package dev.parley.api;

import dev.parley.changes.Changes;
import dev.parley.history.History;
import dev.parley.privacy.Privacy;
import dev.parley.transfer.Export;
import dev.parley.transfer.Import;
import dev.parley.webhook.Webhooks;
import dev.parley.workspace.Keys;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the HTTP edge serves and how, built by the composition root. */
public record Features(Keys keys, History history, Privacy privacy, Export export, Import importer, Changes changes,
                       Webhooks webhooks,
                       BooleanSupplier storeReachable, PrometheusMeterRegistry meters, Settings settings) {

    /** The settings the HTTP edge needs, taken from the validated configuration. */
    public record Settings(long importMaxBytes, int rateLimit, Duration shutdownTimeout, int maxConcurrentRequests,
                           int maxQueuedRequests) {
    }
}
