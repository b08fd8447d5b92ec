package dev.parley.workspace;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a key may do: read history, write it, review it (SPEC §11, which {@code write} may do too);
 * {@code admin} is accepted and kept so that keys can be made with every scope (the first-start
 * and bootstrap keys), though no route of this package asks for it yet.
 */
public enum Scope {
    READ, WRITE, REVIEW, ADMIN;

    /** Every scope, as the first-start and bootstrap keys have. */
    public static Set<Scope> all() {
        return Set.copyOf(EnumSet.allOf(Scope.class));
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a comma-separated list such as {@code read,write}; rejects an unknown scope. */
    public static Set<Scope> parseList(String text) {
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String part : text.split(",", -1)) {
            scopes.add(parse(part.trim()));
        }
        return Set.copyOf(scopes);
    }

    public static Scope parse(String text) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(text)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + text + "': allowed are "
                + Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", ")));
    }

    public static String format(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(","));
    }
}
