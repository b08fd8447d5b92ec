package dev.parley.api;

import dev.parley.history.Direction;
import dev.parley.history.FeedbackFilter;
import dev.parley.history.HistoryFilter;
import dev.parley.history.InvalidField;
import dev.parley.history.Limits;
import dev.parley.history.PageRequest;
import dev.parley.history.Source;
import dev.parley.history.Uuids;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the query parameters of the history API (SPEC §2) into a {@link HistoryFilter} and a
 * {@link PageRequest}, the way the reference client sends them: an empty value is an absent
 * parameter, booleans come in any case ({@code True}), and unknown parameters are ignored.
 */
final class HistoryQueryParser {

    static final int MAX_ID_FILTER_LENGTH = 256;
    private static final String SOURCES = Source.FILTER_RULE;

    private static final String CATEGORIES = "give one or more categories, comma-separated or repeated";

    private final QueryParameters params;

    private HistoryQueryParser(QueryParameters params) {
        this.params = params;
    }

    /** A page query: {@code source} is required, as in the reference. */
    static HistoryFilter filter(QueryParameters params, boolean sourceRequired) {
        return new HistoryQueryParser(params).filter(sourceRequired);
    }

    static PageRequest page(QueryParameters params) {
        HistoryQueryParser parser = new HistoryQueryParser(params);
        int limit = parser.single("limit").map(text -> (int) parser.wholeNumber("limit", text, 1,
                PageRequest.MAX_LIMIT, "a whole number from 1 to " + PageRequest.MAX_LIMIT))
                .orElse(PageRequest.DEFAULT_LIMIT);
        Optional<UUID> cursor = parser.single("cursor").map(text -> Uuids.parse(text)
                .orElseThrow(() -> ApiError.invalidCursor()));
        Direction direction = parser.single("direction").map(HistoryQueryParser::direction).orElse(Direction.NEXT);
        try {
            return new PageRequest(limit, cursor, direction);
        } catch (InvalidField e) {
            throw ApiError.invalidParameter(e.field(), e.getMessage());
        }
    }

    private HistoryFilter filter(boolean sourceRequired) {
        Set<Source> sources = sources(sourceRequired);
        OptionalLong start = epoch("startEpoch");
        OptionalLong end = epoch("endEpoch");
        List<String> categories = list("category", CATEGORIES);
        Optional<FeedbackFilter> feedback = single("feedbackType").map(text -> FeedbackFilter
                .fromWire(text.toLowerCase(Locale.ROOT)).orElseThrow(() -> ApiError.invalidParameter("feedbackType",
                        "feedbackType must be one of " + FeedbackFilter.ALLOWED + ", got '" + shown(text) + "'")));
        try {
            return new HistoryFilter(sources, start, end, categories, feedback, bool("escalation"), bool("hasLinks"),
                    id("userId"), id("ticketId"), single("question"), single("answer"), id("sourceId"));
        } catch (InvalidField e) {
            throw ApiError.invalidParameter(e.field(), e.getMessage());
        }
    }

    /** The named sources, or none for {@code all}. */
    private Set<Source> sources(boolean required) {
        List<String> values = list("source", "use " + SOURCES);
        if (values.isEmpty()) {
            if (required) {
                throw ApiError.invalidParameter("source", "source is required: " + SOURCES);
            }
            return Set.of();
        }
        List<String> shown = values.stream().map(HistoryQueryParser::shown).toList();
        try {
            return Source.filter(shown);
        } catch (InvalidField e) {
            throw ApiError.invalidParameter(e.field(), e.getMessage());
        }
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
        throw ApiError.invalidParameter(name, name + " must be " + rule + ", got '" + shown(text) + "'");
    }

    private Optional<Boolean> bool(String name) {
        return single(name).map(text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.invalidParameter(name, name + " must be true or false, got '" + shown(text) + "'");
        });
    }

    private Optional<String> id(String name) {
        Optional<String> value = single(name);
        value.ifPresent(text -> {
            if (text.length() > MAX_ID_FILTER_LENGTH) {
                throw ApiError.invalidParameter(name, name + " must be at most " + MAX_ID_FILTER_LENGTH
                        + " characters, got " + text.length());
            }
        });
        return value;
    }

    private static Direction direction(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "next" -> Direction.NEXT;
            case "previous" -> Direction.PREVIOUS;
            default -> throw ApiError.invalidParameter("direction",
                    "direction must be 'next' (older) or 'previous' (newer), got '" + shown(text) + "'");
        };
    }

    /** The one value of a parameter; empty values count as absent. */
    private Optional<String> single(String name) {
        List<String> values = nonEmpty(name);
        if (new LinkedHashSet<>(values).size() > 1) {
            throw ApiError.invalidParameter(name, name + " was given " + values.size() + " times; give it once");
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
                    throw ApiError.invalidParameter(name, name + " has an empty element in '" + shown(value) + "': "
                            + rule);
                }
                values.add(part.trim());
            }
        }
        return new ArrayList<>(values);
    }

    private List<String> nonEmpty(String name) {
        List<String> values = new ArrayList<>();
        for (String value : params.all(name)) {
            if (value.indexOf('\u0000') >= 0) {
                throw ApiError.invalidParameter(name, name + " must not contain the NUL character (U+0000)");
            }
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }

    /** A value as an error message may quote it: never unbounded. */
    private static String shown(String value) {
        return ConversationEndpoints.abbreviate(value);
    }
}
