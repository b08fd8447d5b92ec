package dev.parley.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Writes JSON answers: small ones whole, with a known length; the generator streams either way. */
final class JsonResponses {

    static final String JSON_UTF8 = "application/json; charset=utf-8";
    static final JsonFactory FACTORY = new JsonFactory();

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    private JsonResponses() {
    }

    static void send(Context ctx, int status, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator out = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            body.write(out);
        }
        ctx.status(status).contentType(JSON_UTF8).result(bytes.toByteArray());
    }

    static void sendError(Context ctx, ApiError error) {
        if (error.status == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (error.status == 503 || error.status == 429) {
            ctx.header("Retry-After", Long.toString(error.retryAfterSeconds));
        }
        try {
            send(ctx, error.status, out -> {
                out.writeStartObject();
                out.writeObjectFieldStart("error");
                out.writeStringField("code", error.code);
                out.writeStringField("message", error.getMessage());
                if (error.param.isPresent()) {
                    out.writeStringField("param", error.param.get());
                } else {
                    out.writeNullField("param");
                }
                out.writeEndObject();
                out.writeEndObject();
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
