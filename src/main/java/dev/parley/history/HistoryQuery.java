package dev.parley.history;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the history's filters (SPEC §2) into a {@link HistoryFilter} and a {@link PageRequest},
 * from parameters as a client sends them — the HTTP query and the CLI's options alike, so both
 * take the same values and refuse with the same messages. An empty value is an absent parameter,
 * booleans come in any case ({@code True}), unknown parameters are ignored. A refusal is an
 * {@link InvalidField} naming the parameter; a cursor that is not an id is an {@link InvalidCursor},
 * as an unknown one is.
 */
public final class HistoryQuery {

    static final int MAX_ID_FILTER_LENGTH = Limits.MAX_ID_LENGTH;
    private static final String CATEGORIES = "give one or more categories, comma-separated or repeated";
    private static final String LABELS = "give one or more review labels, comma-separated or repeated";
    /** The longest a refused value is quoted in a message. */
    private static final int SHOWN_LENGTH = 64;

    private final Map<String, List<String>> params;

    private HistoryQuery(Map<String, List<String>> params) {
        this.params = params;
    }

    /**
     * The filters of a list, an export or the stats.
     *
     * @param params every value given for each parameter, decoded, in order
     * @param sourceRequired true for a page, where {@code source} is required as in the reference
     */
    public static HistoryFilter filter(Map<String, List<String>> params, boolean sourceRequired) {
        return new HistoryQuery(params).filter(sourceRequired);
    }

    /** Which page: {@code limit}, {@code cursor} and {@code direction}. */
    public static PageRequest page(Map<String, List<String>> params) {
        HistoryQuery query = new HistoryQuery(params);
        int limit = query.single("limit").map(text -> (int) query.wholeNumber("limit", text, 1,
                PageRequest.MAX_LIMIT, PageRequest.LIMIT_RULE)).orElse(PageRequest.DEFAULT_LIMIT);
        Optional<UUID> cursor = query.single("cursor").map(text -> Uuids.parse(text).orElseThrow(InvalidCursor::new));
        Direction direction = query.single("direction").map(HistoryQuery::direction).orElse(Direction.NEXT);
        return new PageRequest(limit, cursor, direction);
    }

    /** A {@code limit} from 1 to {@code max}; {@code otherwise} when absent. */
    public static int limit(Map<String, List<String>> params, int otherwise, int max) {
        HistoryQuery query = new HistoryQuery(params);
        return query.single("limit").map(text -> (int) query.wholeNumber("limit", text, 1, max,
                "a whole number from 1 to " + max)).orElse(otherwise);
    }

    private HistoryFilter filter(boolean sourceRequired) {
        Set<Source> sources = sources(sourceRequired);
        OptionalLong start = epoch("startEpoch");
        OptionalLong end = epoch("endEpoch");
        List<String> categories = list("category", CATEGORIES);
        Optional<FeedbackFilter> feedback = single("feedbackType").map(text -> FeedbackFilter
                .fromWire(text.toLowerCase(Locale.ROOT)).orElseThrow(() -> new InvalidField("feedbackType",
                        "must be one of " + FeedbackFilter.ALLOWED + ", got '" + shown(text) + "'")));
        Optional<ReviewStatusFilter> reviewStatus = single("reviewStatus").map(text -> ReviewStatusFilter
                .fromWire(text.trim().toLowerCase(Locale.ROOT)).orElseThrow(() -> new InvalidField("reviewStatus",
                        "must be one of " + ReviewStatusFilter.ALLOWED + ", got '" + shown(text) + "'")));
        List<String> labels = list("label", LABELS);
        for (String label : labels) {
            if (label.length() > Review.MAX_LABEL_LENGTH) {
                throw new InvalidField("label", "entries must be 1 to " + Review.MAX_LABEL_LENGTH
                        + " characters, got '" + shown(label) + "'");
            }
        }
        return new HistoryFilter(sources, start, end, categories, feedback, bool("escalation"), bool("hasLinks"),
                id("userId"), id("ticketId"), single("question"), single("answer"), id("sourceId"), bool("attention"),
                reviewStatus, labels);
    }

    /** The named sources, or none for {@code all}. */
    private Set<Source> sources(boolean required) {
        List<String> values = list("source", "use " + Source.FILTER_RULE);
        if (values.isEmpty()) {
            if (required) {
                throw new InvalidField("source", "is required: " + Source.FILTER_RULE);
            }
            return Set.of();
        }
        return Source.filter(values.stream().map(HistoryQuery::shown).toList());
    }

    private OptionalLong epoch(String name) {
        Optional<String> value = single(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(wholeNumber(name, value.get(), 0, Limits.MAX_EPOCH_MS,
                "epoch milliseconds, a whole number from 0 to " + Limits.MAX_EPOCH_MS));
    }

    private long wholeNumber(String name, String text, long min, long max, String rule) {
        try {
            long number = Long.parseLong(text.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new InvalidField(name, "must be " + rule + ", got '" + shown(text) + "'");
    }

    private Optional<Boolean> bool(String name) {
        return single(name).map(text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidField(name, "must be true or false, got '" + shown(text) + "'");
        });
    }

    private Optional<String> id(String name) {
        Optional<String> value = single(name);
        value.ifPresent(text -> {
            if (text.length() > MAX_ID_FILTER_LENGTH) {
                throw new InvalidField(name, "must be at most " + MAX_ID_FILTER_LENGTH + " characters, got "
                        + text.length());
            }
        });
        return value;
    }

    private static Direction direction(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "next" -> Direction.NEXT;
            case "previous" -> Direction.PREVIOUS;
            default -> throw new InvalidField("direction",
                    "must be 'next' (older) or 'previous' (newer), got '" + shown(text) + "'");
        };
    }

    /** The one value of a parameter; empty values count as absent. */
    private Optional<String> single(String name) {
        List<String> values = nonEmpty(name);
        if (new LinkedHashSet<>(values).size() > 1) {
            throw new InvalidField(name, "was given " + values.size() + " times; give it once");
        }
        return values.stream().findFirst();
    }

    /**
     * Every value of a parameter, comma-separated or repeated, without duplicates. An empty value
     * is an absent one, but an empty element of a list ({@code zendesk,}) is refused: dropping it
     * could leave no element at all, and so no filter.
     */
    private List<String> list(String name, String rule) {
        Set<String> values = new LinkedHashSet<>();
        for (String value : nonEmpty(name)) {
            for (String part : value.split(",", -1)) {
                if (part.trim().isEmpty()) {
                    throw new InvalidField(name, "has an empty element in '" + shown(value) + "': " + rule);
                }
                values.add(part.trim());
            }
        }
        return new ArrayList<>(values);
    }

    private List<String> nonEmpty(String name) {
        List<String> values = new ArrayList<>();
        for (String value : params.getOrDefault(name, List.of())) {
            if (value.indexOf('\u0000') >= 0) {
                throw new InvalidField(name, "must not contain the NUL character (U+0000)");
            }
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }

    /** A value as an error message may quote it: never unbounded. */
    public static String shown(String value) {
        return value.length() <= SHOWN_LENGTH ? value : value.substring(0, SHOWN_LENGTH - 3) + "...";
    }
}
