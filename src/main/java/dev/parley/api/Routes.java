package dev.parley.api;

import dev.parley.dashboard.Dashboard;
import dev.parley.history.ConcurrentChange;
import dev.parley.history.Conflict;
import dev.parley.history.InvalidCursor;
import dev.parley.history.InvalidField;
import dev.parley.store.StoreException;
import dev.parley.transfer.ImportTooLarge;
import dev.parley.transfer.InvalidLine;
import dev.parley.transfer.SpoolUnavailable;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one route table, used by {@code serve} and by the tests alike. */
public final class Routes {

    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

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
        config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(ServerRefusals.MAX_HEADER_BYTES));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ServerRefusals()));
        RequestLog requestLog = new RequestLog(features.meters());
        config.requestLogger.http(requestLog::record);
        Dashboard.install(config);

        Authenticator authenticator = new Authenticator(features.keys(), new RateLimiter(features.settings().rateLimit()));
        ConversationEndpoints conversations = new ConversationEndpoints(features.history(), authenticator,
                features.meters());
        HistoryEndpoints historyList = new HistoryEndpoints(features.history().reader(), authenticator);
        TransferEndpoints transfer = new TransferEndpoints(features.export(), features.importer(), authenticator,
                features.settings().importMaxBytes(), features.meters());
        OperatorEndpoints operator = new OperatorEndpoints(features.storeReachable(), features.meters());
        StatsEndpoints stats = new StatsEndpoints(features.history().reader(), authenticator);
        InsightEndpoints insights = new InsightEndpoints(features.history().reader(), authenticator,
                java.time.Clock.systemUTC());

        var routes = config.routes;
        routes.before(Routes::securityHeaders);
        routes.before(Routes::refuseMethodOverride);
        // GET and HEAD are answered by Liveness before they get here; the route lists them for 405
        getAndHead(routes, Liveness.PATH, operator::healthz);
        getAndHead(routes, "/readyz", operator::readyz);
        getAndHead(routes, "/metrics", operator::metrics);
        getAndHead(routes, "/openapi.json", operator::openApi);
        getAndHead(routes, "/v2/bots/requests/public", historyList::list);
        routes.post("/v2/bots/requests", conversations::recordExchange);
        routes.put("/v2/bots/requests/{id}/feedback", conversations::setFeedback);
        routes.put("/v2/bots/conversations/{id}/review", conversations::review);
        getAndHead(routes, "/v2/bots/conversations/export", transfer::export);
        routes.post("/v2/bots/conversations/import", transfer::importHistory);
        getAndHead(routes, "/v2/bots/stats", stats::stats);
        getAndHead(routes, "/v2/bots/insights/failing-questions", insights::failingQuestions);
        getAndHead(routes, "/v2/bots/conversations/{id}", conversations::getConversation);
        routes.delete("/v2/bots/conversations/{id}", conversations::deleteConversation);
        routes.delete("/v2/bots/users/{userId}/conversations", conversations::eraseUser);

        routes.exception(ApiError.class, (error, ctx) -> JsonResponses.sendError(ctx, error));
        routes.exception(InvalidField.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.invalidBody(Optional.of(error.field()), error.getMessage())));
        routes.exception(InvalidCursor.class, (error, ctx) -> JsonResponses.sendError(ctx, ApiError.invalidCursor(error)));
        routes.exception(InvalidLine.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.invalidBody(error.field(), error.getMessage())));
        routes.exception(ImportTooLarge.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.payloadTooLarge(error.limit())));
        routes.exception(java.io.UncheckedIOException.class, Routes::clientGone);
        routes.exception(Conflict.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.conflict(error.getMessage())));
        routes.exception(StoreException.class, Routes::storeFailed);
        routes.exception(SpoolUnavailable.class, (error, ctx) -> {
            LOG.warn("import refused: {}", error.getMessage());
            JsonResponses.sendError(ctx, ApiError.unavailable(
                    "the server has no room to hold this import while checking it (its temporary disk is full)"));
        });
        routes.exception(ConcurrentChange.class, (error, ctx) -> JsonResponses.sendError(ctx, ApiError.busy()));
        routes.exception(HttpResponseException.class, (error, ctx) -> {
            if (error.getStatus() == 405) {
                MethodNotAllowed.answer(ctx, config.unsafe.internalRouter);
            } else {
                frameworkRefusal(error, ctx);
            }
        });
        routes.exception(Exception.class, (error, ctx) -> internalError(ctx, error));
        routes.error(404, ctx -> {
            if (ctx.result() == null) {
                JsonResponses.sendError(ctx, ApiError.notFound("no route " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(405, ctx -> MethodNotAllowed.answer(ctx, config.unsafe.internalRouter));
    }

    /**
     * Left to itself, Javalin answers HEAD on a GET route with an empty 200 without running the
     * handler, so without checking the key or the parameters: HEAD must answer what GET would.
     */
    private static void getAndHead(RoutesConfig routes, String path, Handler handler) {
        routes.get(path, handler);
        routes.head(path, handler);
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
        server.setErrorHandler(new ServerRefusals());
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
        // any answer may be gzipped for a client that accepts it, so a cache must key on the header
        ctx.header("Vary", "Accept-Encoding");
        if (ctx.path().startsWith("/v2/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /**
     * Javalin routes by X-HTTP-Method-Override when it is present, so a GET (or a HEAD) could run a
     * DELETE, and a proxy that lets only GET through would not know. The method is the request's own.
     */
    private static void refuseMethodOverride(Context ctx) {
        if (ctx.req().getHeader(METHOD_OVERRIDE) != null) {
            throw ApiError.invalidParameter(METHOD_OVERRIDE, METHOD_OVERRIDE
                    + " is not supported: send the request with the method itself");
        }
    }

    private static void storeFailed(StoreException error, Context ctx) {
        StoreException.Unavailable why = error.unavailableBecause();
        if (error.lostToConcurrentWrite()) {
            LOG.warn("write lost to concurrent writes on every attempt: {}", error.getMessage());
            JsonResponses.sendError(ctx, ApiError.busy());
        } else if (why != null) {
            LOG.warn("store unavailable: {}", error.getMessage());
            JsonResponses.sendError(ctx, ApiError.unavailable(why.reason));
        } else {
            internalError(ctx, error);
        }
    }

    private static void frameworkRefusal(HttpResponseException error, Context ctx) {
        JsonResponses.sendError(ctx, switch (error.getStatus()) {
            case 413 -> ApiError.payloadTooLarge(RequestBodies.MAX_BODY_BYTES);
            case 404 -> ApiError.notFound("no route " + ctx.method() + " " + ctx.path());
            default -> ApiError.invalidBody(Optional.empty(), "the request could not be read");
        });
    }

    private static void internalError(Context ctx, Exception error) {
        LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), error);
        JsonResponses.sendError(ctx, ApiError.internal());
    }
}
