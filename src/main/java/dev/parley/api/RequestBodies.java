package dev.parley.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.history.Limits;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a JSON request body: checks the media type, refuses an oversized body while reading it
 * (never buffering more than the limit), and parses strictly: UTF-8 only, no duplicate keys,
 * nothing after the value.
 */
final class RequestBodies {

    static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(Limits.jsonConstraints()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RequestBodies() {
    }

    /**
     * Refuses a field the body does not take (SPEC §3), naming it and the fields it does take, in
     * the order given.
     */
    static void refuseUnknownFields(JsonNode body, java.util.List<String> fields) {
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw dev.parley.history.InvalidField.unknown(name, String.join(", ", fields));
            }
        }
    }

    static JsonNode jsonObject(Context ctx) {
        requireJsonMediaType(ctx);
        byte[] body = readBounded(ctx, MAX_BODY_BYTES);
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiError.invalidBody(Optional.empty(), "the body " + Limits.JSON_TOO_DEEP);
        } catch (JsonParseException e) {
            throw ApiError.invalidBody(Optional.empty(), "the body is not valid JSON in UTF-8: "
                    + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw ApiError.invalidBody(Optional.empty(), "the body is not valid JSON in UTF-8");
        }
        if (node == null || node.isMissingNode()) {
            throw ApiError.invalidBody(Optional.empty(), "the body is empty: send a JSON object");
        }
        if (!node.isObject()) {
            throw ApiError.invalidBody(Optional.empty(), "the body must be a JSON object");
        }
        return node;
    }

    private static void requireJsonMediaType(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType == null) {
            throw ApiError.unsupportedMediaType("application/json", null);
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        boolean json = parts[0].trim().equals("application/json");
        for (int i = 1; i < parts.length && json; i++) {
            String parameter = parts[i].trim().replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                json = false;
            }
        }
        if (!json) {
            throw ApiError.unsupportedMediaType("application/json", contentType);
        }
    }

    private static byte[] readBounded(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw ApiError.payloadTooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw ApiError.payloadTooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * The body as a stream, for a handler that reads it as it arrives (an import); a body that
     * cannot be read to its end is answered for what it is, never as a failure of the server.
     */
    static InputStream streamed(Context ctx) throws IOException {
        return new java.io.FilterInputStream(ctx.req().getInputStream()) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                try {
                    return super.read(bytes, offset, length);
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }
        };
    }

    private static ApiError unreadable(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PacedRequest.TooSlow slow) {
                return ApiError.requestTimeout(slow.getMessage());
            }
        }
        return ApiError.invalidBody(Optional.empty(), "the body could not be read: the client stopped sending it");
    }
}
