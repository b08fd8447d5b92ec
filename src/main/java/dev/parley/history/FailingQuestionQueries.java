package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Computes {@link FailingQuestions}: the matches' requests counted from their stored
 * {@code request_count}, and one streaming read of the failing requests of the matches from
 * {@code failing_requests} (for the window and the sources alone, one range of it: see
 * {@link ConversationSearch#failingRequestsOfMatches}); their questions are normalised once per
 * distinct wording and grouped by {@link QuestionGroups} in memory. Exact for every filter: the
 * table is written with the requests it copies, nothing is sampled or cached, so the cost
 * follows the failing requests of the window, not the history.
 */
final class FailingQuestionQueries {

    static final int TOP_CATEGORIES = 3;
    static final int SAMPLE_CONVERSATIONS = 5;

    private final Dialect dialect;
    private final ConversationSearch search;

    FailingQuestionQueries(Dialect dialect, ConversationSearch search) {
        this.dialect = dialect;
        this.search = search;
    }

    /** A failing request as the grouping needs it. */
    private record Failing(int wording, UUID conversationId, long conversationCreatedAt, long createdAt,
                           boolean escalated, boolean thumbsDown, boolean uncited, List<String> categories) {
    }

    FailingQuestions of(Connection connection, long workspace, HistoryFilter filter, int limit) throws SQLException {
        long requests = count(connection, search.overMatches(workspace, filter, "COALESCE(SUM(c.request_count), 0)"));
        Sql failingSql = search.failingRequestsOfMatches(workspace, filter, "f.conversation_id,"
                + " f.conversation_created_at, f.question, f.escalation, f.thumbs_down, f.uncited, f.categories,"
                + " f.created_at");
        List<String> wordings = new ArrayList<>();
        Map<String, Integer> wordingIds = new HashMap<>();
        List<Failing> failing = new ArrayList<>();
        // few distinct lists of categories recur across many requests: each is parsed once
        Map<String, List<String>> categoriesOf = new HashMap<>();
        try (PreparedStatement query = failingSql.prepare(connection, dialect)) {
            query.setFetchSize(5000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String question = rows.getString("question");
                    Integer wording = wordingIds.get(question);
                    if (wording == null) {
                        wording = wordings.size();
                        wordingIds.put(question, wording);
                        wordings.add(question);
                    }
                    failing.add(new Failing(wording, dialect.getId(rows, "conversation_id"),
                            rows.getLong("conversation_created_at"), rows.getLong("created_at"),
                            rows.getBoolean("escalation"), rows.getBoolean("thumbs_down"),
                            rows.getBoolean("uncited"),
                            categoriesOf.computeIfAbsent(rows.getString("categories"), StoredLists::fromJson)));
                }
            }
        }
        return new FailingQuestions(groups(wordings, failing, limit), failing.size(), requests);
    }

    private long count(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Groups the failing requests by question; the {@code limit} most failing, ties by question. */
    private static List<FailingQuestions.Group> groups(List<String> wordings, List<Failing> failing, int limit) {
        // wording → normalised question → group
        Map<String, Integer> normalisedIds = new HashMap<>();
        List<String> normalised = new ArrayList<>();
        int[] normalisedOf = new int[wordings.size()];
        for (int w = 0; w < wordings.size(); w++) {
            String text = QuestionText.normalised(wordings.get(w));
            Integer id = normalisedIds.get(text);
            if (id == null) {
                id = normalised.size();
                normalisedIds.put(text, id);
                normalised.add(text);
            }
            normalisedOf[w] = id;
        }
        int[] groupOf = QuestionGroups.of(normalised);
        Map<Integer, GroupTally> tallies = new HashMap<>();
        for (Failing request : failing) {
            int group = groupOf[normalisedOf[request.wording()]];
            tallies.computeIfAbsent(group, g -> new GroupTally(wordings)).add(request);
        }
        return tallies.values().stream().map(GroupTally::group)
                .sorted(Comparator.comparingLong(FailingQuestions.Group::failing).reversed()
                        .thenComparing(FailingQuestions.Group::question))
                .limit(limit).toList();
    }

    /** What one group's failing requests add up to. */
    private static final class GroupTally {
        private final List<String> allWordings;
        private long failing;
        private long escalated;
        private long thumbsDown;
        private long uncited;
        /** Per wording: how many failing requests, and the earliest one's time. */
        private final Map<Integer, long[]> wordings = new HashMap<>();
        private final Map<UUID, Long> conversations = new HashMap<>();
        private final Map<String, Set<UUID>> categories = new HashMap<>();

        GroupTally(List<String> allWordings) {
            this.allWordings = allWordings;
        }

        void add(Failing request) {
            failing++;
            escalated += request.escalated() ? 1 : 0;
            thumbsDown += request.thumbsDown() ? 1 : 0;
            uncited += request.uncited() ? 1 : 0;
            long[] wording = wordings.computeIfAbsent(request.wording(), w -> new long[] {0, Long.MAX_VALUE});
            wording[0]++;
            wording[1] = Math.min(wording[1], request.createdAt());
            conversations.put(request.conversationId(), request.conversationCreatedAt());
            for (String category : new HashSet<>(request.categories())) {
                categories.computeIfAbsent(category, c -> new HashSet<>()).add(request.conversationId());
            }
        }

        FailingQuestions.Group group() {
            // the most frequent wording; ties: the earliest asked, then the text
            String question = wordings.entrySet().stream().min(Comparator
                    .comparingLong((Map.Entry<Integer, long[]> e) -> -e.getValue()[0])
                    .thenComparingLong(e -> e.getValue()[1])
                    .thenComparing(e -> allWordings.get(e.getKey()))).map(e -> allWordings.get(e.getKey()))
                    .orElseThrow();
            List<Stats.CategoryCount> top = categories.entrySet().stream()
                    .map(e -> new Stats.CategoryCount(e.getKey(), e.getValue().size()))
                    .sorted(Comparator.comparingLong(Stats.CategoryCount::conversations).reversed()
                            .thenComparing(Stats.CategoryCount::category))
                    .limit(TOP_CATEGORIES).toList();
            // the newest conversations, in the history's order
            List<UUID> samples = conversations.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<UUID, Long> e) -> e.getValue()).reversed()
                            .thenComparing(e -> e.getKey().toString(), Comparator.reverseOrder()))
                    .limit(SAMPLE_CONVERSATIONS).map(Map.Entry::getKey).toList();
            return new FailingQuestions.Group(question, failing, escalated, thumbsDown, uncited, conversations.size(),
                    top, samples);
        }
    }
}
