package dev.parley.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Past capacity, shed load quickly instead of queueing without end: at most so many requests run
 * at once, a bounded number wait (each for a bounded time), and the rest are told 503 with
 * Retry-After at once — in the API's error shape.
 */
final class LoadShedding extends QoSHandler {

    private static final byte[] BUSY = ("{\"error\":{\"code\":\"unavailable\",\"message\":"
            + "\"the server is at capacity; retry shortly\",\"param\":null}}").getBytes(StandardCharsets.UTF_8);

    LoadShedding(int maxConcurrent, int maxQueued, Duration maxWait) {
        setMaxRequestCount(maxConcurrent);
        setMaxSuspendedRequestCount(maxQueued);
        setMaxSuspend(maxWait);
        setRejectStatusCode(503);
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        busy(response, callback);
    }

    @Override
    protected void expireSuspended(Request request, Response response, Callback callback) {
        busy(response, callback);
    }

    private static void busy(Response response, Callback callback) {
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON_UTF8);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(BUSY), callback);
    }
}
