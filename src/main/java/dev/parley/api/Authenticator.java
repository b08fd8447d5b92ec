package dev.parley.api;

import dev.parley.workspace.Keys;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.util.Locale;

/** Turns an {@code Authorization: Bearer <key>} header into the workspace it opens. */
final class Authenticator {

    private static final String SCHEME = "bearer ";
    /** Longer than any key we make; a longer header is refused without hashing it. */
    private static final int MAX_SECRET_LENGTH = 512;

    /** The workspace a request acted for, for the request log line. */
    static final String WORKSPACE_ATTRIBUTE = "parley.workspace";

    private final Keys keys;
    private final RateLimiter rateLimiter;

    Authenticator(Keys keys, RateLimiter rateLimiter) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
    }

    Principal require(Context ctx, Scope scope) {
        return requireAny(ctx, scope);
    }

    /** Authenticates a request whose key must have one of these scopes (a review: {@code review} or {@code write}). */
    Principal requireAny(Context ctx, Scope scope, Scope... others) {
        int headers = java.util.Collections.list(ctx.req().getHeaders("Authorization")).size();
        if (headers > 1) {
            // which one a proxy or a framework would pick differs; a key must never be guessed at
            throw ApiError.unauthorized("send one Authorization header, not " + headers
                    + ": which key is meant is ambiguous");
        }
        Principal principal = authenticate(ctx.header("Authorization"));
        ctx.attribute(WORKSPACE_ATTRIBUTE, principal.workspaceName());
        rateLimiter.acquire(principal.keyId());
        if (!principal.may(scope) && java.util.Arrays.stream(others).noneMatch(principal::may)) {
            StringBuilder needed = new StringBuilder(scope.wireName());
            for (Scope other : others) {
                needed.append("' or '").append(other.wireName());
            }
            throw ApiError.insufficientScope(needed.toString());
        }
        return principal;
    }

    private Principal authenticate(String header) {
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("send an API key as 'Authorization: Bearer <key>'");
        }
        if (header.length() <= SCHEME.length()
                || !header.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw ApiError.unauthorized("the Authorization header must use the Bearer scheme: 'Bearer <key>'");
        }
        String secret = header.substring(SCHEME.length()).trim();
        if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            throw ApiError.unauthorized("the API key is missing or malformed");
        }
        return keys.authenticate(secret)
                .orElseThrow(() -> ApiError.unauthorized("the API key is not valid, or has been revoked"));
    }
}
