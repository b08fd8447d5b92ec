package dev.parley.api;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line and one timer sample per request: method, route, status, duration, workspace.
 * Never the query string, a body or a key: those may hold chat text or secrets.
 */
final class RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger("parley.requests");
    /** Probes come every few seconds from every orchestrator: counted in metrics, not logged. */
    private static final java.util.Set<String> PROBES = java.util.Set.of("/healthz", "/readyz", "/metrics");

    private static final java.util.Set<String> KNOWN_METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH",
            "DELETE", "OPTIONS", "TRACE", "CONNECT");
    private static final String CUT_ATTRIBUTE = "parley.cut";

    private final MeterRegistry meters;
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    RequestLog(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Marks a response whose body was cut short after its status went out (an export to a client gone). */
    static void cut(Context ctx, Exception why) {
        LOG.debug("response cut short: {}", why.toString());
        ctx.attribute(CUT_ATTRIBUTE, Boolean.TRUE);
    }

    void record(Context ctx, float milliseconds) {
        String route = route(ctx);
        String status = Integer.toString(ctx.statusCode());
        boolean cut = ctx.attribute(CUT_ATTRIBUTE) != null;
        timer(methodLabel(ctx), route, status).record(Duration.ofNanos((long) (milliseconds * 1_000_000)));
        if (PROBES.contains(route)) {
            return;
        }
        String workspace = ctx.attribute(Authenticator.WORKSPACE_ATTRIBUTE);
        // one decimal without String.format, a fiftieth of a POST's CPU (and the default locale's comma)
        long tenths = Math.round(milliseconds * 10.0);
        LOG.atInfo()
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("route", route)
                .addKeyValue("status", ctx.statusCode())
                .addKeyValue("durationMs", tenths / 10.0)
                .addKeyValue("workspace", workspace == null ? "-" : workspace)
                .addKeyValue("cut", cut)
                .log("{} {} {} {} ms workspace={}", ctx.method().name(), route, cut ? status + " cut" : status,
                        tenths / 10 + "." + tenths % 10, workspace == null ? "-" : workspace);
    }

    /** One timer per method, route and status, found again without building its tags on every request. */
    private Timer timer(String method, String route, String status) {
        return timers.computeIfAbsent(method + ' ' + route + ' ' + status, key ->
                Timer.builder("http.server.requests").description("HTTP requests, by route and status")
                        .tags("method", method, "route", route, "status", status)
                        .publishPercentileHistogram()
                        .register(meters));
    }

    /** A method a client invents ({@code CARD1}) would be a new time series per name: they share one. */
    static String methodLabel(Context ctx) {
        String method = ctx.req().getMethod();
        return KNOWN_METHODS.contains(method) ? method : "other";
    }

    /**
     * The route's template (/v2/bots/conversations/{id}), never the raw path: ids stay out of
     * metrics, and paths a client invents (and the dashboard's files) share "unmatched". Only an
     * HTTP endpoint counts: a request no route took has still matched the catch-all before-handler.
     */
    private static String route(Context ctx) {
        try {
            io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? "unmatched" : matched.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
