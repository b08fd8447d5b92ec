package dev.parley.api;

import dev.parley.history.HistoryQuery;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.InternalRouter;
import java.util.List;
import java.util.stream.Collectors;

/** A 405 says which methods the path takes (RFC 9110 §15.5.6): every route it matches, in a fixed order. */
final class MethodNotAllowed {

    private static final List<HandlerType> ORDER = List.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST,
            HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

    private MethodNotAllowed() {
    }

    static void answer(Context ctx, InternalRouter router) {
        String allowed = ORDER.stream().filter(method -> router.findFirstHttpHandlerEntry(method, ctx.path()) != null)
                .map(HandlerType::name).collect(Collectors.joining(", "));
        if (!allowed.isEmpty()) {
            ctx.header("Allow", allowed);
        }
        String method = HistoryQuery.shown(ctx.req().getMethod());
        JsonResponses.sendError(ctx, ApiError.methodNotAllowed(method + " is not allowed on " + ctx.path()
                + (allowed.isEmpty() ? "" : "; use " + allowed)));
    }
}
