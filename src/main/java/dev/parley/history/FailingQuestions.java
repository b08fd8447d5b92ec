package dev.parley.history;

import java.util.List;
import java.util.UUID;

/**
 * Where the bot fails (SPEC §11): the failing bot requests of the matches, grouped by question,
 * most failing first.
 *
 * @param failingRequests the failing bot requests of the matches
 * @param requests        every bot request of the matches
 */
public record FailingQuestions(List<Group> groups, long failingRequests, long requests) {

    public FailingQuestions {
        groups = List.copyOf(groups);
    }

    /**
     * One question, however it was worded.
     *
     * @param question      the most frequent wording among its failing requests (ties: the earliest)
     * @param conversations how many conversations asked it and failed
     * @param topCategories the categories of those conversations' failing requests, most conversations first
     * @param sampleConversationIds the newest of those conversations
     */
    public record Group(String question, long failing, long escalated, long thumbsDown, long uncited,
                        long conversations, List<Stats.CategoryCount> topCategories,
                        List<UUID> sampleConversationIds) {

        public Group {
            topCategories = List.copyOf(topCategories);
            sampleConversationIds = List.copyOf(sampleConversationIds);
        }
    }
}
