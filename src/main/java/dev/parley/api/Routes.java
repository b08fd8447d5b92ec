package dev.parley.api;

import dev.parley.dashboard.Dashboard;
import dev.parley.history.ConcurrentChange;
import dev.parley.history.Conflict;
import dev.parley.history.InvalidCursor;
import dev.parley.history.InvalidField;
import dev.parley.store.StoreException;
import dev.parley.transfer.ImportTooLarge;
import dev.parley.transfer.InvalidLine;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one route table, used by {@code serve} and by the tests alike. */
public final class Routes {

    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private Routes() {
    }

    public static Javalin server(Features features) {
        return Javalin.create(config -> configure(config, features));
    }

    private static void configure(JavalinConfig config, Features features) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = RequestBodies.MAX_BODY_BYTES;
        // gzip for clients that ask for it; bodies under 1 KiB are not worth it
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip(6));
        gzip.setDefaultMinSizeForCompression(1024);
        config.http.compressionStrategy = gzip;
        config.jetty.modifyServer(server -> shapeLoad(server, features.settings()));
        RequestLog requestLog = new RequestLog(features.meters());
        config.requestLogger.http(requestLog::record);
        Dashboard.install(config);

        Authenticator authenticator = new Authenticator(features.keys(), new RateLimiter(features.settings().rateLimit()));
        ConversationEndpoints conversations = new ConversationEndpoints(features.history(), authenticator,
                features.meters());
        HistoryEndpoints historyList = new HistoryEndpoints(features.history(), authenticator);
        TransferEndpoints transfer = new TransferEndpoints(features.export(), features.importer(), authenticator,
                features.settings().importMaxBytes(), features.meters());
        OperatorEndpoints operator = new OperatorEndpoints(features.storeReachable(), features.meters());
        StatsEndpoints stats = new StatsEndpoints(features.stats(), authenticator);

        var routes = config.routes;
        routes.before(Routes::securityHeaders);
        // GET is answered by Liveness before it gets here; the route lists it, and other methods get 405
        routes.get(Liveness.PATH, operator::healthz);
        routes.get("/readyz", operator::readyz);
        routes.get("/metrics", operator::metrics);
        routes.get("/openapi.json", operator::openApi);
        routes.get("/v2/bots/requests/public", historyList::list);
        routes.post("/v2/bots/requests", conversations::recordExchange);
        routes.put("/v2/bots/requests/{id}/feedback", conversations::setFeedback);
        routes.get("/v2/bots/conversations/export", transfer::export);
        routes.post("/v2/bots/conversations/import", transfer::importHistory);
        routes.get("/v2/bots/stats", stats::stats);
        routes.get("/v2/bots/conversations/{id}", conversations::getConversation);
        routes.delete("/v2/bots/conversations/{id}", conversations::deleteConversation);
        routes.delete("/v2/bots/users/{userId}/conversations", conversations::eraseUser);

        routes.exception(ApiError.class, (error, ctx) -> JsonResponses.sendError(ctx, error));
        routes.exception(InvalidField.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.invalidBody(Optional.of(error.field()), error.getMessage())));
        routes.exception(InvalidCursor.class, (error, ctx) -> JsonResponses.sendError(ctx, ApiError.invalidCursor()));
        routes.exception(InvalidLine.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.invalidBody(error.field(), error.getMessage())));
        routes.exception(ImportTooLarge.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.payloadTooLarge(error.limit())));
        routes.exception(java.io.UncheckedIOException.class, Routes::clientGone);
        routes.exception(Conflict.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.conflict(error.getMessage())));
        routes.exception(StoreException.class, Routes::storeFailed);
        routes.exception(ConcurrentChange.class, (error, ctx) -> JsonResponses.sendError(ctx, ApiError.busy()));
        routes.exception(HttpResponseException.class, Routes::frameworkRefusal);
        routes.exception(Exception.class, (error, ctx) -> internalError(ctx, error));
        routes.error(404, ctx -> {
            if (ctx.result() == null) {
                JsonResponses.sendError(ctx, ApiError.notFound("no route " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(405, ctx -> JsonResponses.sendError(ctx,
                ApiError.methodNotAllowed(ctx.method() + " is not allowed on " + ctx.path())));
    }

    /**
     * Past capacity, requests are shed with a quick 503 ({@link LoadShedding}), but liveness
     * probes are answered ahead of it ({@link Liveness}), and a request takes its slot only once
     * its body has arrived ({@link BodyIntake}); on stop, Jetty
     * refuses new connections at once but lets requests in flight — a long export too — finish,
     * for up to the shutdown timeout.
     */
    private static void shapeLoad(Server server, Features.Settings settings) {
        LoadShedding shedding = new LoadShedding(settings.maxConcurrentRequests(), settings.maxQueuedRequests(),
                java.time.Duration.ofSeconds(2));
        shedding.setHandler(server.getHandler());
        BodyIntake intake = new BodyIntake();
        intake.setHandler(shedding);
        Liveness liveness = new Liveness();
        liveness.setHandler(intake);
        server.setStopTimeout(settings.shutdownTimeout().toMillis());
        server.addEventListener(new BoundedSendBuffers());
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(liveness);
        server.setHandler(graceful);
    }

    /** The client went away mid-stream: nothing is left to answer, and nothing is wrong with the server. */
    private static void clientGone(java.io.UncheckedIOException error, Context ctx) {
        LOG.info("client went away during {} {}: {}", ctx.method(), ctx.path(), error.getCause().toString());
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        if (ctx.path().startsWith("/v2/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private static void storeFailed(StoreException error, Context ctx) {
        if (error.lostToConcurrentWrite()) {
            LOG.warn("write lost to concurrent writes on every attempt: {}", error.getMessage());
            JsonResponses.sendError(ctx, ApiError.busy());
        } else if (error.unavailable()) {
            LOG.warn("store unavailable: {}", error.getMessage());
            JsonResponses.sendError(ctx, ApiError.unavailable());
        } else {
            internalError(ctx, error);
        }
    }

    private static void frameworkRefusal(HttpResponseException error, Context ctx) {
        JsonResponses.sendError(ctx, switch (error.getStatus()) {
            case 413 -> ApiError.payloadTooLarge(RequestBodies.MAX_BODY_BYTES);
            case 404 -> ApiError.notFound("no route " + ctx.method() + " " + ctx.path());
            case 405 -> ApiError.methodNotAllowed(ctx.method() + " is not allowed on " + ctx.path());
            default -> ApiError.invalidBody(Optional.empty(), "the request could not be read");
        });
    }

    private static void internalError(Context ctx, Exception error) {
        LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), error);
        JsonResponses.sendError(ctx, ApiError.internal());
    }
}
