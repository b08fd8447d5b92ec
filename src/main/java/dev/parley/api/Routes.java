package dev.parley.api;

import dev.parley.history.Conflict;
import dev.parley.history.History;
import dev.parley.history.InvalidCursor;
import dev.parley.history.InvalidField;
import dev.parley.store.StoreException;
import dev.parley.workspace.Keys;
import io.javalin.Javalin;
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

    public static Javalin server(Keys keys, History history) {
        return Javalin.create(config -> configure(config, keys, history));
    }

    private static void configure(JavalinConfig config, Keys keys, History history) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = RequestBodies.MAX_BODY_BYTES;
        dev.parley.dashboard.Dashboard.install(config);

        Authenticator authenticator = new Authenticator(keys);
        ConversationEndpoints conversations = new ConversationEndpoints(history, authenticator);
        HistoryEndpoints historyList = new HistoryEndpoints(history, authenticator);

        var routes = config.routes;
        routes.before(Routes::securityHeaders);
        routes.get("/healthz", ctx -> ctx.contentType(JsonResponses.JSON_UTF8).result("{\"status\":\"ok\"}"));
        routes.get("/v2/bots/requests/public", historyList::list);
        routes.post("/v2/bots/requests", conversations::recordExchange);
        routes.put("/v2/bots/requests/{id}/feedback", conversations::setFeedback);
        routes.get("/v2/bots/conversations/{id}", conversations::getConversation);
        routes.delete("/v2/bots/conversations/{id}", conversations::deleteConversation);
        routes.delete("/v2/bots/users/{userId}/conversations", conversations::eraseUser);

        routes.exception(ApiError.class, (error, ctx) -> JsonResponses.sendError(ctx, error));
        routes.exception(InvalidField.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.invalidBody(Optional.of(error.field()), error.getMessage())));
        routes.exception(InvalidCursor.class, (error, ctx) -> JsonResponses.sendError(ctx, ApiError.invalidCursor()));
        routes.exception(Conflict.class, (error, ctx) ->
                JsonResponses.sendError(ctx, ApiError.conflict(error.getMessage())));
        routes.exception(StoreException.class, Routes::storeFailed);
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

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        if (ctx.path().startsWith("/v2/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    private static void storeFailed(StoreException error, Context ctx) {
        if (error.unavailable()) {
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
