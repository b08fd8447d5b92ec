package dev.parley.api;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/** What an operator and a client developer read: liveness, readiness, metrics, the OpenAPI document. */
final class OperatorEndpoints {

    private static final byte[] OPENAPI = resource("/openapi.json");

    private final BooleanSupplier storeReachable;
    private final PrometheusMeterRegistry meters;

    OperatorEndpoints(BooleanSupplier storeReachable, PrometheusMeterRegistry meters) {
        this.storeReachable = storeReachable;
        this.meters = meters;
    }

    /** 200 while the process lives: a restart will not cure a store that is down. */
    void healthz(Context ctx) {
        ctx.contentType(JsonResponses.JSON_UTF8).result("{\"status\":\"ok\"}");
    }

    /** 200 when the store answers, else 503: take this instance out of rotation until it does. */
    void readyz(Context ctx) {
        if (!storeReachable.getAsBoolean()) {
            throw ApiError.unavailable();
        }
        ctx.contentType(JsonResponses.JSON_UTF8).result("{\"status\":\"ready\"}");
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape());
    }

    void openApi(Context ctx) {
        ctx.contentType(JsonResponses.JSON_UTF8).result(OPENAPI);
    }

    private static byte[] resource(String name) {
        try (InputStream in = OperatorEndpoints.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
