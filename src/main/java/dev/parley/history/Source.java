package dev.parley.history;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a conversation happened. */
public enum Source {
    ZENDESK, SLACK, DISCORD, WIDGET, INTERCOM, UI, API;

    public static final String ALLOWED = Arrays.stream(values()).map(Source::wireName).collect(Collectors.joining(", "));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Source> fromWire(String text) {
        for (Source source : values()) {
            if (source.wireName().equals(text)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
