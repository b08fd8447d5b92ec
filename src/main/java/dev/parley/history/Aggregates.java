package dev.parley.history;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a conversation's bot requests imply about it (SPEC §1). Always recomputed from all of
 * them, in order, so that concurrent or out-of-order appends cannot leave it stale. {@code attention}
 * says whether any request failed (SPEC §11): stored, so that the {@code attention} filter is an index's;
 * {@code requestCount} lets the insight count a window's requests without reading them.
 */
record Aggregates(
        boolean escalation,
        boolean hasLinks,
        Optional<FeedbackType> feedbackType,
        boolean expectingUserFollowup,
        List<String> categories,
        List<String> citedSourceIds,
        boolean attention,
        int requestCount) {

    /** What a conversation without requests implies. */
    static final Aggregates NONE = of(List.of());

    /** @param requests oldest first, equal times in the order recorded */
    static Aggregates of(List<BotRequest> requests) {
        boolean escalation = false;
        boolean hasLinks = false;
        Optional<FeedbackType> feedback = Optional.empty();
        boolean expectingFollowup = false;
        Set<String> categories = new LinkedHashSet<>();
        Set<String> sourceIds = new LinkedHashSet<>();
        boolean attention = false;
        for (BotRequest request : requests) {
            attention |= request.failed();
            escalation |= request.escalation();
            hasLinks |= request.hasLinks();
            if (request.feedbackType().isPresent()) {
                feedback = request.feedbackType();
            }
            expectingFollowup = request.expectingUserFollowup();
            categories.addAll(request.categories());
            sourceIds.addAll(request.basedOn().sourceIds());
        }
        return new Aggregates(escalation, hasLinks, feedback, expectingFollowup,
                List.copyOf(new ArrayList<>(categories)), List.copyOf(new ArrayList<>(sourceIds)), attention,
                requests.size());
    }

    /** These aggregates with other categories: a conversation imported whole keeps the categories it came with. */
    Aggregates withCategories(List<String> stored) {
        return new Aggregates(escalation, hasLinks, feedbackType, expectingUserFollowup, stored, citedSourceIds, attention,
                requestCount);
    }
}
