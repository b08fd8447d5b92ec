package dev.parley.history;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of {@link Stats} added up from parts (whole days from the rollup, the edges of a
 * window from the conversations themselves, or a whole day less the part outside the window).
 * Categories are counted in full and cut to the top ones only at the end, so that the parts add
 * up exactly.
 */
final class StatsTally {

    private final Map<Long, long[]> days = new HashMap<>();
    private final Map<String, Long> categories = new HashMap<>();
    private long withLinks;
    private long botRequests;

    void day(long day, long conversations, long escalated, long thumbsUp, long thumbsDown) {
        long[] counts = days.computeIfAbsent(day, d -> new long[4]);
        counts[0] += conversations;
        counts[1] += escalated;
        counts[2] += thumbsUp;
        counts[3] += thumbsDown;
    }

    void withLinks(long count) {
        withLinks += count;
    }

    void botRequests(long count) {
        botRequests += count;
    }

    void category(String category, long conversations) {
        categories.merge(category, conversations, Long::sum);
    }

    Stats stats(int topCategories) {
        List<Stats.Day> byDay = days.entrySet().stream().filter(day -> day.getValue()[0] != 0)
                .sorted(Map.Entry.comparingByKey())
                .map(day -> new Stats.Day(LocalDate.ofEpochDay(day.getKey()), day.getValue()[0], day.getValue()[1],
                        day.getValue()[2], day.getValue()[3]))
                .toList();
        long conversations = byDay.stream().mapToLong(Stats.Day::conversations).sum();
        long escalated = byDay.stream().mapToLong(Stats.Day::escalated).sum();
        long thumbsUp = byDay.stream().mapToLong(Stats.Day::thumbsUp).sum();
        long thumbsDown = byDay.stream().mapToLong(Stats.Day::thumbsDown).sum();
        List<Stats.CategoryCount> top = categories.entrySet().stream().filter(category -> category.getValue() > 0)
                .map(category -> new Stats.CategoryCount(category.getKey(), category.getValue()))
                .sorted(Comparator.comparingLong(Stats.CategoryCount::conversations).reversed()
                        .thenComparing(Stats.CategoryCount::category, StatsTally::byCodePoint))
                .limit(topCategories)
                .toList();
        return new Stats(conversations, botRequests, escalated, withLinks, thumbsUp, thumbsDown,
                conversations - thumbsUp - thumbsDown, byDay, top);
    }

    /** Ties between categories go by code point, as the store orders them ({@code Dialect.byCodePoint}). */
    private static int byCodePoint(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
