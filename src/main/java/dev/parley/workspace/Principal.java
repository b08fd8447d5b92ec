package dev.parley.workspace;

import java.util.Set;

/** Who a request acts for: one workspace, with the scopes of the key it presented. */
public record Principal(long workspaceId, String workspaceName, String keyId, Set<Scope> scopes) {

    public Principal {
        scopes = Set.copyOf(scopes);
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}
