package dev.parley.workspace;

import java.util.Optional;
import java.util.Set;

/** A key as an operator sees it: never its secret. */
public record ApiKey(String id, String workspace, Set<Scope> scopes, long createdAt, Optional<Long> revokedAt) {

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }
}
