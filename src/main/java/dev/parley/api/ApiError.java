package dev.parley.api;

import dev.parley.history.InvalidCursor;
import java.util.Optional;

/**
 * An expected refusal, answered as {@code {"error": {"code", "message", "param"}}} (SPEC §3).
 * Anything else that escapes a handler is a bug and becomes a generic 500.
 */
final class ApiError extends RuntimeException {

    final int status;
    final String code;
    final Optional<String> param;
    final long retryAfterSeconds;

    private ApiError(int status, String code, String message, Optional<String> param) {
        this(status, code, message, param, 1);
    }

    private ApiError(int status, String code, String message, Optional<String> param, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiError rateLimited(int perSecond, long retryAfterSeconds) {
        return new ApiError(429, "rate_limited", "this key may make " + perSecond + " requests a second (bursts of "
                + 2 * perSecond + "); retry after " + retryAfterSeconds + " s", Optional.empty(), retryAfterSeconds);
    }

    static ApiError tooManyStreamsForKey(int perKey, long retryAfterSeconds, String streams) {
        return new ApiError(429, "rate_limited", "this key already runs " + perKey + " " + streams + ", the most it may"
                + " run at once (" + perKey + " " + streams + " at once for this key); retry when one has finished",
                Optional.empty(), retryAfterSeconds);
    }

    static ApiError tooManyStreams(int total, long retryAfterSeconds, String streams) {
        return new ApiError(503, "unavailable", "the server already runs " + total + " " + streams + ", the most it"
                + " runs at once (" + total + " " + streams + " at once on this server); retry in a few seconds",
                Optional.empty(), retryAfterSeconds);
    }

    /** A changes cursor that is malformed, altered or another workspace's: nothing more is said. */
    static ApiError invalidCursor(String message) {
        return new ApiError(400, "invalid_cursor", message, Optional.of("cursor"));
    }

    static ApiError cursorExpired(String message) {
        return new ApiError(410, "cursor_expired", message, Optional.of("cursor"));
    }

    static ApiError requestTimeout(String message) {
        return new ApiError(408, "request_timeout", message + " after its first second; send it faster",
                Optional.empty());
    }

    static ApiError invalidParameter(String param, String message) {
        return new ApiError(400, "invalid_parameter", message, Optional.of(param));
    }

    static ApiError invalidCursor(InvalidCursor refused) {
        return new ApiError(400, "invalid_cursor", refused.getMessage(), Optional.of("cursor"));
    }

    static ApiError invalidBody(Optional<String> param, String message) {
        return new ApiError(400, "invalid_body", message, param);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, Optional.empty());
    }

    static ApiError insufficientScope(String scope) {
        return new ApiError(403, "insufficient_scope", "this key lacks the '" + scope + "' scope that this request needs",
                Optional.empty());
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, Optional.empty());
    }

    static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message, Optional.empty());
    }

    static ApiError payloadTooLarge(long limit) {
        return new ApiError(413, "payload_too_large", "the request body must be at most " + limit + " bytes",
                Optional.empty());
    }

    static ApiError unsupportedMediaType(String expected, String given) {
        return new ApiError(415, "unsupported_media_type",
                "send the body as " + expected + " (Content-Type was " + (given == null ? "missing" : "'" + given + "'") + ")",
                Optional.empty());
    }

    static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "method_not_allowed", message, Optional.empty());
    }

    static ApiError internal() {
        return new ApiError(500, "internal", "an unexpected error occurred; it has been logged", Optional.empty());
    }

    static ApiError busy() {
        return new ApiError(503, "unavailable", "other writes to the same conversations kept this one from finishing;"
                + " retry shortly", Optional.empty());
    }

    static ApiError unavailable() {
        return unavailable("the store is not reachable right now");
    }

    /** The store cannot serve now, for a reason given as "the store is busy ..." and the like. */
    static ApiError unavailable(String reason) {
        return new ApiError(503, "unavailable", reason + "; retry shortly", Optional.empty());
    }
}
