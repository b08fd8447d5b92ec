package dev.parley.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code GET /healthz} (and HEAD, which Jetty answers without the body) ahead of load shedding and the application: a server that is
 * busy shedding requests is still alive, and an orchestrator must not restart it for being busy.
 * Every other request goes on to the application.
 */
final class Liveness extends Handler.Wrapper {

    static final String PATH = "/healthz";
    private static final byte[] ALIVE = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        // a method override goes on to the application too, which refuses it on every route alike (Routes)
        if (!("GET".equals(method) || "HEAD".equals(method)) || !PATH.equals(Request.getPathInContext(request))
                || request.getHeaders().contains(Routes.METHOD_OVERRIDE)) {
            return super.handle(request, response, callback);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON_UTF8);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(ALIVE), callback);
        return true;
    }
}
