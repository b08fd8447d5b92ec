package dev.parley.history;

import java.time.LocalDate;
import java.util.List;

/** The numbers of {@code GET /v2/bots/stats} (SPEC §4), for the conversations that match a filter. */
public record Stats(long conversations, long botRequests, long escalated, long withLinks, long thumbsUp,
                    long thumbsDown, long noFeedback, List<Day> byDay, List<CategoryCount> topCategories) {

    public Stats {
        byDay = List.copyOf(byDay);
        topCategories = List.copyOf(topCategories);
    }

    /** One UTC day, by the conversations' {@code createdAt}. */
    public record Day(LocalDate day, long conversations, long escalated, long thumbsUp, long thumbsDown) {
    }

    public record CategoryCount(String category, long conversations) {
    }
}
