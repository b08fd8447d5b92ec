package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.store.Database;
import dev.parley.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code failing_requests} holds, right after every kind of write, exactly the failing requests
 * that the history implies: those of the conversations as the reader gives them back whose
 * {@link BotRequest#failed()} holds, and those of {@code bot_requests} whose stored flags say
 * so. Each kind of write of {@link HistoryWriter} is made in turn, on both stores.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailingRequestsContractTest {

    private static final AtomicLong WORKSPACES = new AtomicLong(1000);
    private static final long DAY = 86_400_000L;

    @Parameter
    TestStores store;

    Database database;
    History history;
    long ws;
    /** Every conversation this test wrote, deleted ones included. */
    final Set<UUID> written = new HashSet<>();

    @BeforeParameterizedClassInvocation
    void openStore() {
        Config config = store.freshConfig();
        database = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry());
        history = History.of(database, Clock.systemUTC(), HistoryListener.NONE);
    }

    @AfterParameterizedClassInvocation
    void closeStore() {
        database.close();
    }

    @BeforeEach
    void newWorkspace() {
        ws = WORKSPACES.incrementAndGet();
        written.clear();
    }

    /** A failing request as the table holds it. */
    record FailingRow(UUID conversationId, long conversationCreatedAt, UUID requestId, String source,
                      long createdAt, String question, boolean escalation, boolean thumbsDown, boolean uncited,
                      List<String> categories) {
    }

    static HistoryStoreContractTest.ExchangeBuilder an(String question) {
        return HistoryStoreContractTest.an(question);
    }

    static final String CITED = "[{\"sourceId\": \"kb-1\"}]";

    HistoryWriter.Recorded record(HistoryStoreContractTest.ExchangeBuilder exchange) {
        HistoryWriter.Recorded recorded = history.writer().record(ws, exchange.build());
        written.add(recorded.conversationId());
        return recorded;
    }

    @Test
    void anExchangeThatFailsIsCopiedWhenItOpensOrJoinsAConversationAndOneThatDoesNotIsNot() {
        UUID opened = record(an("escalated at once").escalation(true).basedOn(CITED)).conversationId();
        record(an("cited and fine").conversation(opened).basedOn(CITED));
        record(an("uncited in the same conversation").conversation(opened).categories("billing"));
        UUID fine = record(an("cited alone").basedOn(CITED)).conversationId();
        record(an("answered with a link").conversation(fine).answer("see https://help.example.com/x"));
        record(an("uncited, opening one").source(Source.SLACK).categories("a", "b"));

        assertThat(stored()).extracting(FailingRow::question).containsExactlyInAnyOrder("escalated at once",
                "uncited in the same conversation", "uncited, opening one");
        assertThatTheTableIsWhatTheHistoryImplies();
    }

    @Test
    void feedbackMakesARequestFailingOrNotAndChangesItsFlags() {
        HistoryWriter.Recorded cited = record(an("cited").basedOn(CITED));
        HistoryWriter.Recorded escalated = record(an("escalated").basedOn(CITED).escalation(true));

        history.writer().setFeedback(ws, cited.request().id(), Optional.of(FeedbackType.THUMBS_DOWN));
        history.writer().setFeedback(ws, escalated.request().id(), Optional.of(FeedbackType.THUMBS_DOWN));
        assertThat(stored()).extracting(FailingRow::question, FailingRow::thumbsDown)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("cited", true),
                        org.assertj.core.groups.Tuple.tuple("escalated", true));
        assertThatTheTableIsWhatTheHistoryImplies();

        history.writer().setFeedback(ws, cited.request().id(), Optional.of(FeedbackType.THUMBS_UP));
        history.writer().setFeedback(ws, escalated.request().id(), Optional.empty());
        assertThat(stored()).extracting(FailingRow::question, FailingRow::thumbsDown)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("escalated", false));
        assertThatTheTableIsWhatTheHistoryImplies();
    }

    @Test
    void aReviewLeavesTheFailingRequestsAsTheyWere() {
        UUID conversation = record(an("uncited")).conversationId();
        history.writer().review(ws, conversation, new Review.Verdict(Optional.of(ReviewStatus.NEEDS_WORK),
                List.of("kb-gap"), Optional.empty()), "key-1");

        assertThat(stored()).hasSize(1);
        assertThatTheTableIsWhatTheHistoryImplies();
    }

    @Test
    void deletionErasureAndTheRetentionSweepTakeTheirConversationsFailingRequests() {
        UUID deleted = record(an("deleted")).conversationId();
        record(an("deleted too").conversation(deleted).escalation(true));
        record(an("erased").userId("alice"));
        record(an("erased too").userId("alice").escalation(true));
        UUID kept = record(an("kept").userId("bob")).conversationId();
        long old = System.currentTimeMillis() - 400 * DAY;
        UUID swept = UUID.randomUUID();
        history.writer().storeWhole(ws, List.of(conversation(swept, Source.API, old, request("swept", old, true))));
        written.add(swept);
        assertThat(stored()).hasSize(6);

        history.writer().delete(ws, deleted);
        assertThatTheTableIsWhatTheHistoryImplies();
        history.writer().eraseUser(ws, "alice");
        assertThatTheTableIsWhatTheHistoryImplies();
        history.writer().eraseUpdatedBefore(ws, old + 1, 100, ErasureStep.NONE);

        assertThat(stored()).extracting(FailingRow::conversationId).containsExactly(kept);
        assertThatTheTableIsWhatTheHistoryImplies();
    }

    @Test
    void anImportAddsNewConversationsFailingRequestsAndReplacesThoseOfTheConversationsItReplaces() {
        long now = System.currentTimeMillis();
        UUID replacedByFine = record(an("was uncited")).conversationId();
        UUID replacedByFailing = record(an("was fine").basedOn(CITED)).conversationId();
        UUID added = UUID.randomUUID();
        written.add(added);

        history.writer().storeChunk(ws, List.of(
                conversation(replacedByFine, Source.WIDGET, now - DAY, request("now cited", now - DAY, false)
                        .withCitations(CITED)),
                conversation(replacedByFailing, Source.WIDGET, now - 2 * DAY, request("now escalated", now - 2 * DAY,
                        true), request("and uncited", now - DAY, false)),
                conversation(added, Source.ZENDESK, now - 3 * DAY, request("imported", now - 3 * DAY, false)
                        .withFeedback(Optional.of(FeedbackType.THUMBS_DOWN)))), new Unrecorded());

        assertThat(stored()).extracting(FailingRow::question)
                .containsExactlyInAnyOrder("now escalated", "and uncited", "imported");
        assertThatTheTableIsWhatTheHistoryImplies();
    }

    @Test
    void rewritingTextsRewritesTheCopiedQuestions() {
        record(an("my card 4111 is refused"));
        record(an("my card 4111 is fine").basedOn(CITED));

        history.writer().rewriteTexts(ws, Optional.empty(), 100, text -> text.replace("4111", "[CARD]"),
                ErasureStep.NONE);

        assertThat(stored()).extracting(FailingRow::question).containsExactly("my card [CARD] is refused");
        assertThatTheTableIsWhatTheHistoryImplies();
    }

    @Test
    void theFailingQuestionsOfTheWindowAloneEqualThoseReadThroughTheConversations() {
        record(an("how do I reset my password").categories("account"));
        record(an("How can I reset my password?").escalation(true).basedOn(CITED));
        record(an("where is my refund").source(Source.SLACK));
        long now = System.currentTimeMillis();
        HistoryFilter window = new HistoryFilter(Set.of(), OptionalLong.of(now - DAY), OptionalLong.of(now + DAY),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        // the same matches, through a filter only the conversations can decide
        HistoryFilter throughConversations = new HistoryFilter(Set.of(), window.startEpoch(), window.endEpoch(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(ReviewStatusFilter.UNREVIEWED), List.of());
        assertThat(window.narrowsFailingRequestsByWindowAndSourcesOnly()).isTrue();
        assertThat(throughConversations.narrowsFailingRequestsByWindowAndSourcesOnly()).isFalse();

        FailingQuestions alone = history.reader().failingQuestions(ws, window, 20);

        assertThat(alone.failingRequests()).isEqualTo(3);
        assertThat(alone.groups()).hasSize(2);
        assertThat(history.reader().failingQuestions(ws, throughConversations, 20)).isEqualTo(alone);
    }

    void assertThatTheTableIsWhatTheHistoryImplies() {
        Set<FailingRow> stored = stored();
        assertThat(stored).as("failing_requests against the conversations read back")
                .isEqualTo(impliedByTheConversations());
        assertThat(stored).as("failing_requests against bot_requests").isEqualTo(impliedByStoredFlags());
    }

    /** What failing_requests holds for this workspace. */
    Set<FailingRow> stored() {
        return rows("SELECT conversation_id, conversation_created_at, request_id, source, created_at, question,"
                + " escalation, thumbs_down, uncited, categories FROM failing_requests WHERE workspace_id = ?");
    }

    /** The failing requests of bot_requests, by their stored flags. */
    Set<FailingRow> impliedByStoredFlags() {
        return rows("SELECT c.id AS conversation_id, c.created_at AS conversation_created_at, r.id AS request_id,"
                + " c.source, r.created_at, r.question, r.escalation,"
                + " CASE WHEN r.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END AS thumbs_down, r.uncited,"
                + " r.categories FROM bot_requests r JOIN conversations c"
                + " ON c.workspace_id = r.workspace_id AND c.id = r.conversation_id"
                + " WHERE r.workspace_id = ? AND (r.escalation OR r.feedback_type = 'thumbs_down' OR r.uncited)");
    }

    /** The failing requests of the conversations as the reader gives them back. */
    Set<FailingRow> impliedByTheConversations() {
        Set<FailingRow> rows = new HashSet<>();
        for (UUID id : written) {
            history.reader().conversation(ws, id).ifPresent(conversation -> {
                for (BotRequest request : conversation.botRequests()) {
                    if (request.failed()) {
                        rows.add(new FailingRow(conversation.id(), conversation.createdAt(), request.id(),
                                conversation.source().wireName(), request.createdAt(), request.question(),
                                request.escalation(),
                                request.feedbackType().equals(Optional.of(FeedbackType.THUMBS_DOWN)),
                                request.uncited(), request.categories()));
                    }
                }
            });
        }
        return rows;
    }

    Set<FailingRow> rows(String sql) {
        return database.read(connection -> {
            Set<FailingRow> rows = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setLong(1, ws);
                try (ResultSet found = query.executeQuery()) {
                    while (found.next()) {
                        rows.add(new FailingRow(database.dialect().getId(found, "conversation_id"),
                                found.getLong("conversation_created_at"),
                                database.dialect().getId(found, "request_id"), found.getString("source"),
                                found.getLong("created_at"), found.getString("question"),
                                found.getBoolean("escalation"), found.getBoolean("thumbs_down"),
                                found.getBoolean("uncited"), StoredLists.fromJson(found.getString("categories"))));
                    }
                }
            }
            return rows;
        });
    }

    /** A request to import: uncited unless given citations. */
    record Imported(String question, long createdAt, boolean escalation, Optional<FeedbackType> feedback,
                    String citations) {

        Imported withCitations(String json) {
            return new Imported(question, createdAt, escalation, feedback, json);
        }

        Imported withFeedback(Optional<FeedbackType> given) {
            return new Imported(question, createdAt, escalation, given, citations);
        }

        BotRequest toBotRequest() {
            Citations basedOn;
            try {
                basedOn = Citations.of("basedOn", new com.fasterxml.jackson.databind.ObjectMapper().readTree(citations));
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
            return new BotRequest(UUID.randomUUID(), question, "an answer", List.of("imported"), escalation,
                    Optional.empty(), feedback, false, createdAt, basedOn);
        }
    }

    static Imported request(String question, long createdAt, boolean escalation) {
        return new Imported(question, createdAt, escalation, Optional.empty(), "[]");
    }

    static Conversation conversation(UUID id, Source source, long createdAt, Imported... requests) {
        List<BotRequest> botRequests = new ArrayList<>();
        for (Imported request : requests) {
            botRequests.add(request.toBotRequest());
        }
        long updatedAt = botRequests.stream().mapToLong(BotRequest::createdAt).max().orElse(createdAt);
        return Conversation.fromRequests(id, Optional.empty(), source, Optional.empty(), Optional.empty(),
                Optional.empty(), createdAt, updatedAt, botRequests);
    }

    /** An import chunk whose undo journal is not the subject here. */
    private static final class Unrecorded implements ImportRecord {
        @Override
        public void wrote(java.sql.Connection connection, List<Snapshot> replaced, List<UUID> created,
                          long changeSeq) {
        }

        @Override
        public void undid(java.sql.Connection connection, List<UUID> ids) {
        }
    }
}
