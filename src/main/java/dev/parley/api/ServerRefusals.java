package dev.parley.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives before Parley's own code runs — a request line over 8 KiB, headers over
 * 8 KiB, a malformed escape or {@code ..} above the root in the path, a blank Host — in the API's
 * error shape with its headers (SPEC §3), for every method, instead of Jetty's HTML page.
 */
final class ServerRefusals extends ErrorHandler {

    /** The most a request line, and the most all headers together, may take. */
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private static final int LONGEST_REASON = 120;

    /** Jetty writes its page only for GET, POST and HEAD; a PUT with a bad path got an empty 400. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateCacheControl(Response response) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        int status = statusFor(code);
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON_UTF8);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    /** What the connection answers when it cannot parse a request at all (no request to handle exists). */
    @Override
    public ByteBuffer badMessageError(int code, String reason, HttpFields.Mutable headers) {
        headers.put(HttpHeader.CONTENT_TYPE, JsonResponses.JSON_UTF8);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(code, reason));
    }

    /** Nothing a client sends is a 5xx: an HTTP version Jetty does not speak is the client's mistake. */
    private static int statusFor(int code) {
        return code == 505 ? 400 : code;
    }

    private static byte[] body(int status, String reason) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JsonResponses.FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeObjectFieldStart("error");
            out.writeStringField("code", code(status));
            out.writeStringField("message", message(status, reason));
            out.writeNullField("param");
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    private static String message(int status, String reason) {
        return switch (status) {
            case 414 -> "the request line (method, path and query) must be at most " + MAX_HEADER_BYTES + " bytes";
            case 431 -> "the request's headers must be at most " + MAX_HEADER_BYTES + " bytes in all";
            case 404 -> "no such page";
            case 503 -> "the server cannot take requests right now; retry shortly";
            case 400 -> "the request is not HTTP this server takes (a path with a malformed %-escape, an encoded"
                    + " control character or '..' above the root, or a malformed header)" + reasonOf(reason);
            default -> status >= 500 ? "an unexpected error occurred; it has been logged"
                    : "the server cannot take this request (HTTP status " + status + ")" + reasonOf(reason);
        };
    }

    /** Jetty's reason (Blank Host, Ambiguous URI path encoding, ...) says what was wrong; never a stack trace. */
    private static String reasonOf(String reason) {
        if (reason == null || reason.isBlank() || reason.equals("Bad Request") || reason.length() > LONGEST_REASON
                || !reason.chars().allMatch(c -> c >= 32 && c < 127)) {
            return "";
        }
        return ": " + reason;
    }
}
