package dev.parley.history;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Where a conversation happened. */
public enum Source {
    ZENDESK, SLACK, DISCORD, WIDGET, INTERCOM, UI, API;

    /** Computed once: an export reads and writes a source for every conversation. */
    private final String wireName = name().toLowerCase(Locale.ROOT);
    private static final Map<String, Source> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Source::wireName, source -> source));

    public static final String ALLOWED = Arrays.stream(values()).map(Source::wireName).collect(Collectors.joining(", "));

    /** What a filter on sources takes, for messages that say it. */
    public static final String FILTER_RULE = "'all', or one or more of " + ALLOWED + " (comma-separated or repeated)";

    /**
     * The sources a filter names (empty: every source), the same from the API and the CLI.
     * {@code all} beside a name is refused rather than read one way or the other, and so is a
     * name that is not a source, wherever it stands in the list.
     */
    public static Set<Source> filter(List<String> names) {
        boolean all = false;
        Set<Source> sources = EnumSet.noneOf(Source.class);
        for (String name : names) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (lower.equals("all")) {
                all = true;
            } else {
                sources.add(fromWire(lower).orElseThrow(() -> new InvalidField("source",
                        "'" + name + "' is not allowed: use " + FILTER_RULE)));
            }
        }
        if (all && !sources.isEmpty()) {
            throw new InvalidField("source", "'all' cannot be combined with named sources: use " + FILTER_RULE);
        }
        return sources;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Source> fromWire(String text) {
        return Optional.ofNullable(text == null ? null : BY_WIRE_NAME.get(text));
    }
}
