package dev.parley.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request's body before the request takes one of the slots of {@link LoadShedding}, so
 * that clients trickling bodies hold a connection each but no slot, and no thread while they
 * wait. Every body must keep a minimum rate ({@link PacedRequest}); one that falls behind is
 * answered 408 and its connection closed. Bodies are at most {@link RequestBodies#MAX_BODY_BYTES}
 * and are read whole; an import is streamed to its handler instead (up to a gibibyte), paced all
 * the same.
 */
final class BodyIntake extends Handler.Wrapper {

    static final String IMPORT_PATH = "/v2/bots/conversations/import";
    /** Refused before any route is matched, so logged here, beside the request log's lines. */
    private static final Logger LOG = LoggerFactory.getLogger("parley.requests");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request)) {
            return super.handle(request, response, callback);
        }
        PacedRequest paced = new PacedRequest(request);
        if (IMPORT_PATH.equals(Request.getPathInContext(request))) {
            return super.handle(paced, response, callback);
        }
        new Reading(paced, response, callback).run();
        return true;
    }

    private static boolean hasBody(Request request) {
        for (HttpField field : request.getHeaders()) {
            if (field.getHeader() == HttpHeader.CONTENT_LENGTH && field.getLongValue() > 0) {
                return true;
            }
            if (field.getHeader() == HttpHeader.TRANSFER_ENCODING) {
                return true;
            }
        }
        return false;
    }

    /** Reads without blocking: each time more of the body can be read, it is, until its end. */
    private final class Reading implements Runnable {
        private final PacedRequest request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Reading(PacedRequest request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    refuse(chunk.getFailure());
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                while (bytes.hasRemaining()) {
                    body.write(bytes.get());
                }
                boolean last = chunk.isLast();
                chunk.release();
                // past the limit, the rest is left to the handler, which refuses it with 413 by its length
                if (last || body.size() > RequestBodies.MAX_BODY_BYTES) {
                    handOn(last);
                    return;
                }
            }
        }

        private void handOn(boolean whole) {
            Request replay = new Replay(request, Content.Chunk.from(ByteBuffer.wrap(body.toByteArray()), whole));
            try {
                if (!BodyIntake.super.handle(replay, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, callback, failure);
            }
        }

        /** Too slow: 408. Anything else (the client hung up) has no one left to answer. */
        private void refuse(Throwable failure) {
            if (!(failure instanceof PacedRequest.TooSlow)) {
                callback.failed(failure);
                return;
            }
            LOG.info("{} 408: the request body arrived too slowly; connection closed", request.getMethod());
            ApiError error = ApiError.requestTimeout(failure.getMessage());
            byte[] json = ("{\"error\":{\"code\":\"" + error.code + "\",\"message\":\"" + error.getMessage()
                    + "\",\"param\":null}}").getBytes(StandardCharsets.UTF_8);
            response.setStatus(408);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON_UTF8);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(json), callback);
        }
    }

    /** The request with its body already read: that first, then whatever the client still sends. */
    private static final class Replay extends Request.Wrapper {
        private Content.Chunk head;

        Replay(Request request, Content.Chunk head) {
            super(request);
            this.head = head;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = head;
            if (chunk != null) {
                head = null;
                return chunk;
            }
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (head != null) {
                demandCallback.run();
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
