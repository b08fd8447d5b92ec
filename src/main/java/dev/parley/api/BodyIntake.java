package dev.parley.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
    /**
     * Bodies held here at once, in all: past it, a body is handed on with what has arrived, and
     * its handler reads the rest inside its slot, as before there was an intake. Memory stays
     * bounded however many clients send bodies at once.
     */
    static final long MAX_HELD_BYTES = 32L * 1024 * 1024;
    /** Refused before any route is matched, so logged here, beside the request log's lines. */
    private static final Logger LOG = LoggerFactory.getLogger("parley.requests");

    private final AtomicLong held = new AtomicLong();

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

    /** Takes room for so many more bytes, if the bodies held in all leave it. */
    private boolean hold(long bytes) {
        long now = held.addAndGet(bytes);
        if (now > MAX_HELD_BYTES) {
            held.addAndGet(-bytes);
            return false;
        }
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
        private final AtomicBoolean released = new AtomicBoolean();

        Reading(PacedRequest request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            // the body's bytes are held until the response is done with
            this.callback = Callback.from(callback, this::release);
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                held.addAndGet(-body.size());
            }
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
                if (!hold(chunk.remaining())) {
                    handOn(chunk);
                    return;
                }
                byte[] bytes = new byte[chunk.remaining()];
                chunk.getByteBuffer().get(bytes);
                body.write(bytes, 0, bytes.length);
                boolean last = chunk.isLast();
                chunk.release();
                // past the limit, the rest is left to the handler, which refuses it with 413 by its length
                if (last || body.size() > RequestBodies.MAX_BODY_BYTES) {
                    handOn(last ? Content.Chunk.EOF : null);
                    return;
                }
            }
        }

        /** Hands the request on with the body read so far, then {@code next} if any, then the rest. */
        private void handOn(Content.Chunk next) {
            Request replay = new Replay(request, Content.Chunk.from(ByteBuffer.wrap(body.toByteArray()), false), next);
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
        private final java.util.ArrayDeque<Content.Chunk> read = new java.util.ArrayDeque<>();

        Replay(Request request, Content.Chunk body, Content.Chunk next) {
            super(request);
            read.add(body);
            if (next != null) {
                read.add(next);
            }
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = read.poll();
            return chunk != null ? chunk : super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (!read.isEmpty()) {
                demandCallback.run();
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
