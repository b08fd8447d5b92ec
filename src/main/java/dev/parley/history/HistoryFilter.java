package dev.parley.history;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which conversations a reader wants (SPEC §2): every filter of the history API, all combined
 * with AND. Shared by the list, the export and the stats. Empty sets and empty optionals mean
 * "no filter".
 *
 * @param sources     any of these sources; empty: all
 * @param categories  having any of these categories; empty: any
 * @param question    folded text that some request's question contains
 * @param answer      folded text that some request's answer contains
 */
public record HistoryFilter(
        Set<Source> sources,
        OptionalLong startEpoch,
        OptionalLong endEpoch,
        List<String> categories,
        Optional<FeedbackFilter> feedback,
        Optional<Boolean> escalation,
        Optional<Boolean> hasLinks,
        Optional<String> userId,
        Optional<String> ticketId,
        Optional<String> question,
        Optional<String> answer,
        Optional<String> sourceId) {

    public static final int MAX_TEXT_FILTER_LENGTH = 500;
    public static final HistoryFilter ALL = new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(),
            List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public HistoryFilter {
        sources = Set.copyOf(sources);
        categories = List.copyOf(categories);
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(escalation, "escalation");
        Objects.requireNonNull(hasLinks, "hasLinks");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(sourceId, "sourceId");
        if (startEpoch.isPresent() && endEpoch.isPresent() && startEpoch.getAsLong() >= endEpoch.getAsLong()) {
            throw new InvalidField("startEpoch", "must be before endEpoch (the range is [startEpoch, endEpoch))");
        }
        question = textFilter("question", question);
        answer = textFilter("answer", answer);
    }

    /** Folds a substring filter the way stored text is folded, so that 'É' finds 'é'. */
    private static Optional<String> textFilter(String field, Optional<String> value) {
        Objects.requireNonNull(value, field);
        value.ifPresent(text -> {
            if (text.length() > MAX_TEXT_FILTER_LENGTH) {
                throw new InvalidField(field, "must be at most " + MAX_TEXT_FILTER_LENGTH + " characters, got "
                        + text.length());
            }
            Limits.withoutNul(field, text);
        });
        return value.map(BotRequest::folded);
    }
}
