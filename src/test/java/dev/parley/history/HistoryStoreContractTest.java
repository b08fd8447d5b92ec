package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The history store's contract, the same on SQLite and PostgreSQL. Each test has a workspace of its own. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryStoreContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    @Parameter
    TestStores store;

    Config config;
    Parley parley;
    History history;

    @BeforeParameterizedClassInvocation
    void openStore() {
        config = store.freshConfig();
        parley = Parley.open(config);
        history = parley.history();
    }

    @AfterParameterizedClassInvocation
    void closeStore() {
        parley.close();
    }

    long newWorkspace() {
        String secret = parley.keys().create(new WorkspaceName("ws" + WORKSPACES.incrementAndGet()),
                Set.of(Scope.READ, Scope.WRITE)).secret();
        return parley.keys().authenticate(secret).orElseThrow().workspaceId();
    }

    static Exchange exchange(String question, String answer) {
        return new Exchange(Optional.empty(), Optional.empty(), Source.WIDGET, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), question, answer, List.of(), false, Optional.empty(), false,
                Citations.NONE, OptionalLong.empty());
    }

    static ExchangeBuilder an(String question) {
        return new ExchangeBuilder(question);
    }

    @Test
    void anExchangeWithoutConversationStartsANewConversation() {
        long ws = newWorkspace();
        HistoryWriter.Recorded first = history.writer().record(ws, an("Hello").createdAt(1000).build());
        HistoryWriter.Recorded second = history.writer().record(ws, an("Hello again").createdAt(2000).build());

        assertThat(first.created()).isTrue();
        assertThat(first.conversationId()).isNotEqualTo(second.conversationId());
        Conversation conversation = history.reader().conversation(ws, first.conversationId()).orElseThrow();
        assertThat(conversation.createdAt()).isEqualTo(1000);
        assertThat(conversation.updatedAt()).isEqualTo(1000);
        assertThat(conversation.botRequests()).extracting(BotRequest::question).containsExactly("Hello");
    }

    @Test
    void anExchangeNamingAConversationAppendsToIt() {
        long ws = newWorkspace();
        UUID conversationId = UUID.randomUUID();
        history.writer().record(ws, an("first").conversation(conversationId).createdAt(1000).build());
        history.writer().record(ws, an("second").conversation(conversationId).createdAt(2000).build());

        Conversation conversation = history.reader().conversation(ws, conversationId).orElseThrow();
        assertThat(conversation.botRequests()).extracting(BotRequest::question).containsExactly("first", "second");
        assertThat(conversation.createdAt()).isEqualTo(1000);
        assertThat(conversation.updatedAt()).isEqualTo(2000);
    }

    @Test
    void anExchangeWithTheSameSourceAndTicketAppendsToThatConversation() {
        long ws = newWorkspace();
        HistoryWriter.Recorded first = history.writer().record(ws, an("q1").ticket("T-1").source(Source.ZENDESK).build());
        HistoryWriter.Recorded sameTicket = history.writer().record(ws, an("q2").ticket("T-1").source(Source.ZENDESK).build());
        HistoryWriter.Recorded otherSource = history.writer().record(ws, an("q3").ticket("T-1").source(Source.SLACK).build());

        assertThat(sameTicket.conversationId()).isEqualTo(first.conversationId());
        assertThat(otherSource.conversationId()).isNotEqualTo(first.conversationId());
    }

    @Test
    void sendingTheSameIdWithTheSameContentAgainReturnsTheStoredRequest() {
        long ws = newWorkspace();
        UUID id = UUID.randomUUID();
        HistoryWriter.Recorded first = history.writer().record(ws, an("q").id(id).build());
        HistoryWriter.Recorded retry = history.writer().record(ws, an("q").id(id).build());

        assertThat(retry.created()).isFalse();
        assertThat(retry.conversationId()).isEqualTo(first.conversationId());
        assertThat(retry.request()).isEqualTo(first.request());
        assertThat(history.reader().conversation(ws, first.conversationId()).orElseThrow().botRequests()).hasSize(1);
    }

    @Test
    void sendingTheSameIdWithOtherContentIsAConflict() {
        long ws = newWorkspace();
        UUID id = UUID.randomUUID();
        history.writer().record(ws, an("q").id(id).build());

        assertThatThrownBy(() -> history.writer().record(ws, an("another question").id(id).build()))
                .isInstanceOf(Conflict.class)
                .hasMessage("bot request " + id + " is already recorded with other content;"
                        + " send a new id for a new exchange");
    }

    @Test
    void appendingWithAnotherSourceToANamedConversationIsAConflict() {
        long ws = newWorkspace();
        UUID conversationId = UUID.randomUUID();
        history.writer().record(ws, an("q").conversation(conversationId).source(Source.ZENDESK).build());

        assertThatThrownBy(() -> history.writer().record(ws, an("q2").conversation(conversationId).source(Source.SLACK).build()))
                .isInstanceOf(Conflict.class)
                .hasMessage("conversation " + conversationId + " has source zendesk, not slack");
        assertThat(history.reader().conversation(ws, conversationId).orElseThrow().botRequests()).hasSize(1);
    }

    @Test
    void aggregatesFollowTheRequestsInOrder() {
        long ws = newWorkspace();
        UUID c = UUID.randomUUID();
        HistoryWriter.Recorded first = history.writer().record(ws, an("q1").conversation(c).createdAt(1000)
                .categories("billing", "refunds").followup(true).build());
        history.writer().record(ws, an("q2").conversation(c).createdAt(2000).categories("refunds", "shipping")
                .escalation(true).build());
        history.writer().setFeedback(ws, first.request().id(), Optional.of(FeedbackType.THUMBS_DOWN));

        Conversation conversation = history.reader().conversation(ws, c).orElseThrow();
        assertThat(conversation.categories()).containsExactly("billing", "refunds", "shipping");
        assertThat(conversation.escalation()).isTrue();
        assertThat(conversation.expectingUserFollowup()).isFalse();
        assertThat(conversation.feedbackType()).contains(FeedbackType.THUMBS_DOWN);
        assertThat(conversation.hasLinks()).isFalse();
    }

    @Test
    void feedbackOfTheConversationIsThatOfTheMostRecentRequestWithFeedback() {
        long ws = newWorkspace();
        UUID c = UUID.randomUUID();
        UUID older = history.writer().record(ws, an("q1").conversation(c).createdAt(1000).build()).request().id();
        UUID newer = history.writer().record(ws, an("q2").conversation(c).createdAt(2000).build()).request().id();
        history.writer().record(ws, an("q3").conversation(c).createdAt(3000).build());

        history.writer().setFeedback(ws, newer, Optional.of(FeedbackType.THUMBS_UP));
        history.writer().setFeedback(ws, older, Optional.of(FeedbackType.THUMBS_DOWN));
        assertThat(history.reader().conversation(ws, c).orElseThrow().feedbackType()).contains(FeedbackType.THUMBS_UP);

        history.writer().setFeedback(ws, newer, Optional.empty());
        assertThat(history.reader().conversation(ws, c).orElseThrow().feedbackType()).contains(FeedbackType.THUMBS_DOWN);
    }

    @Test
    void aFeedbackChangeMovesUpdatedAtButAnUnchangedOneDoesNot() {
        long ws = newWorkspace();
        HistoryWriter.Recorded recorded = history.writer().record(ws, an("q").createdAt(1000).build());
        UUID id = recorded.request().id();

        history.writer().setFeedback(ws, id, Optional.of(FeedbackType.THUMBS_UP));
        long afterChange = history.reader().conversation(ws, recorded.conversationId()).orElseThrow().updatedAt();
        history.writer().setFeedback(ws, id, Optional.of(FeedbackType.THUMBS_UP));

        assertThat(afterChange).isGreaterThan(1000);
        assertThat(history.reader().conversation(ws, recorded.conversationId()).orElseThrow().updatedAt()).isEqualTo(afterChange);
    }

    @Test
    void hasLinksComesFromCitationsOrAWebLinkInTheAnswer() throws Exception {
        long ws = newWorkspace();
        UUID plain = history.writer().record(ws, an("q").answer("no links here").build()).conversationId();
        UUID linked = history.writer().record(ws, an("q").answer("see HTTPS://help.example.com/a").build()).conversationId();
        UUID cited = history.writer().record(ws, an("q").basedOn("[{\"sourceId\":\"kb-1\",\"title\":\"Refunds\"}]").build())
                .conversationId();

        assertThat(history.reader().conversation(ws, plain).orElseThrow().hasLinks()).isFalse();
        assertThat(history.reader().conversation(ws, linked).orElseThrow().hasLinks()).isTrue();
        assertThat(history.reader().conversation(ws, cited).orElseThrow().hasLinks()).isTrue();
    }

    @Test
    void citationsKeepKeysWeDoNotKnowExactlyAsGiven() throws Exception {
        long ws = newWorkspace();
        String basedOn = "[{\"sourceId\":\"kb-1\",\"score\":0.25,\"custom\":{\"nested\":[1,\"two\",null]}}]";
        UUID c = history.writer().record(ws, an("q").basedOn(basedOn).build()).conversationId();

        assertThat(history.reader().conversation(ws, c).orElseThrow().botRequests().get(0).basedOn().json()).isEqualTo(basedOn);
    }

    @Test
    void requestsWithEqualTimesKeepTheOrderTheyWereRecordedIn() {
        long ws = newWorkspace();
        UUID c = UUID.randomUUID();
        for (String question : List.of("a", "b", "c", "d")) {
            history.writer().record(ws, an(question).conversation(c).createdAt(5000).build());
        }
        history.writer().record(ws, an("earlier").conversation(c).createdAt(4000).build());

        assertThat(history.reader().conversation(ws, c).orElseThrow().botRequests()).extracting(BotRequest::question)
                .containsExactly("earlier", "a", "b", "c", "d");
    }

    @Test
    void theLatestRequestDecidesExpectingUserFollowupEvenWhenRecordedOutOfOrder() {
        long ws = newWorkspace();
        UUID c = UUID.randomUUID();
        history.writer().record(ws, an("late").conversation(c).createdAt(3000).followup(true).build());
        history.writer().record(ws, an("early").conversation(c).createdAt(1000).followup(false).build());

        assertThat(history.reader().conversation(ws, c).orElseThrow().expectingUserFollowup()).isTrue();
    }

    @Test
    void theSameIdsLiveApartInTwoWorkspaces() {
        long ours = newWorkspace();
        long theirs = newWorkspace();
        UUID conversationId = UUID.randomUUID();
        UUID requestId = UUID.randomUUID();
        history.writer().record(theirs, an("their secret").conversation(conversationId).id(requestId).build());

        HistoryWriter.Recorded ours1 = history.writer().record(ours, an("ours").conversation(conversationId).id(requestId).build());

        assertThat(ours1.created()).isTrue();
        assertThat(history.reader().conversation(ours, conversationId).orElseThrow().botRequests())
                .extracting(BotRequest::question).containsExactly("ours");
        assertThat(history.reader().conversation(theirs, conversationId).orElseThrow().botRequests())
                .extracting(BotRequest::question).containsExactly("their secret");
    }

    @Test
    void aWorkspaceCannotSeeOrChangeAnotherWorkspacesHistory() {
        long ours = newWorkspace();
        long theirs = newWorkspace();
        HistoryWriter.Recorded theirRequest = history.writer().record(theirs, an("q").userId("u1").build());

        assertThat(history.reader().conversation(ours, theirRequest.conversationId())).isEmpty();
        assertThat(history.writer().setFeedback(ours, theirRequest.request().id(), Optional.of(FeedbackType.THUMBS_UP))).isEmpty();
        assertThat(history.writer().delete(ours, theirRequest.conversationId())).isFalse();
        assertThat(history.writer().eraseUser(ours, "u1")).isZero();
        assertThat(history.reader().conversation(theirs, theirRequest.conversationId()).orElseThrow().feedbackType()).isEmpty();
    }

    @Test
    void deletingAConversationRemovesItAndItsRequests() {
        long ws = newWorkspace();
        HistoryWriter.Recorded recorded = history.writer().record(ws, an("q").build());

        assertThat(history.writer().delete(ws, recorded.conversationId())).isTrue();
        assertThat(history.reader().conversation(ws, recorded.conversationId())).isEmpty();
        assertThat(history.writer().setFeedback(ws, recorded.request().id(), Optional.of(FeedbackType.THUMBS_UP))).isEmpty();
        assertThat(history.writer().delete(ws, recorded.conversationId())).isFalse();
    }

    @Test
    void erasingAUserDeletesExactlyTheirConversations() {
        long ws = newWorkspace();
        UUID a = history.writer().record(ws, an("q").userId("alice").build()).conversationId();
        UUID b = history.writer().record(ws, an("q").userId("alice").build()).conversationId();
        UUID other = history.writer().record(ws, an("q").userId("bob").build()).conversationId();

        assertThat(history.writer().eraseUser(ws, "alice")).isEqualTo(2);
        assertThat(history.reader().conversation(ws, a)).isEmpty();
        assertThat(history.reader().conversation(ws, b)).isEmpty();
        assertThat(history.reader().conversation(ws, other)).isPresent();
        assertThat(history.writer().eraseUser(ws, "alice")).isZero();
    }

    @Test
    void conversationFieldsAreTakenFromTheFirstExchangeThatGivesThem() {
        long ws = newWorkspace();
        UUID c = UUID.randomUUID();
        history.writer().record(ws, an("q1").conversation(c).build());
        history.writer().record(ws, an("q2").conversation(c).userId("u-7").channel("email").url("https://desk/1").build());
        history.writer().record(ws, an("q3").conversation(c).userId("u-8").channel("chat").build());

        Conversation conversation = history.reader().conversation(ws, c).orElseThrow();
        assertThat(conversation.userId()).contains("u-7");
        assertThat(conversation.channel()).contains("email");
        assertThat(conversation.url()).contains("https://desk/1");
    }

    @Test
    void textWithTheNulCharacterIsRefusedBeforeItReachesTheStore() {
        assertThatThrownBy(() -> an("bad \u0000 byte").build())
                .isInstanceOf(InvalidField.class)
                .hasMessage("question must not contain the NUL character (U+0000)");
    }

    @Test
    void unicodeTextIsKeptExactly() {
        long ws = newWorkspace();
        String question = "Où est ma commande ? 注文はどこ? 🚚 \"quotes\" \\ back\ttab\nline";
        UUID c = history.writer().record(ws, an(question).answer("Ça arrive — bientôt ✓").build()).conversationId();

        BotRequest stored = history.reader().conversation(ws, c).orElseThrow().botRequests().get(0);
        assertThat(stored.question()).isEqualTo(question);
        assertThat(stored.answer()).isEqualTo("Ça arrive — bientôt ✓");
    }

    @Test
    void anExchangeAppendedToAnImportedConversationReplacesTheCategoriesItWasImportedWith() {
        long ws = newWorkspace();
        UUID id = UUID.randomUUID();
        BotRequest imported = new BotRequest(UUID.randomUUID(), "q", "a", List.of(), false, Optional.empty(),
                Optional.empty(), false, 1000, Citations.NONE);
        history.writer().storeWhole(ws, List.of(new Conversation(id, Optional.empty(), Source.WIDGET, Optional.empty(), false,
                false, Optional.empty(), false, Optional.empty(), List.of("as-imported"), 1000, 1000, List.of(imported),
                Optional.empty())));

        history.writer().record(ws, an("later").conversation(id).categories("billing").createdAt(2000).build());

        assertThat(history.reader().conversation(ws, id).orElseThrow().categories()).containsExactly("billing");
        assertThat(idsInCategory(ws, "billing")).containsExactly(id);
        assertThat(idsInCategory(ws, "as-imported")).isEmpty();
    }

    private List<UUID> idsInCategory(long ws, String category) {
        HistoryFilter filter = new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(), List.of(category),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        return history.reader().page(ws, filter, new PageRequest(50, Optional.empty(), Direction.NEXT)).conversations().stream()
                .map(Conversation::id).toList();
    }

    @Test
    void textThatBulkLoadingMustEscapeIsKeptExactly() {
        long ws = newWorkspace();
        UUID id = UUID.randomUUID();
        String question = "tab\there\nnew line\r\nback\\slash \\N \\.\n\\.\n\"quoted\", 'single' ✓ 😀";
        BotRequest request = new BotRequest(UUID.randomUUID(), question, "\\", List.of("a\tb", "\\."), false,
                Optional.of("\n"), Optional.empty(), false, 1000, Citations.NONE);
        history.writer().storeWhole(ws, List.of(new Conversation(id, Optional.of("\\N"), Source.WIDGET, Optional.empty(), false,
                false, Optional.empty(), false, Optional.empty(), List.of("a\tb", "\\."), 1000, 1000, List.of(request),
                Optional.of("\\r"))));

        Conversation stored = history.reader().conversation(ws, id).orElseThrow();
        assertThat(stored.botRequests()).containsExactly(request);
        assertThat(stored.externalId()).contains("\\N");
        assertThat(stored.userId()).contains("\\r");
        assertThat(idsInCategory(ws, "a\tb")).containsExactly(id);
    }

    private static Conversation whole(UUID id, BotRequest... requests) {
        return new Conversation(id, Optional.empty(), Source.WIDGET, Optional.empty(), false, false, Optional.empty(),
                false, Optional.empty(), List.of(), 1000, 1000, List.of(requests), Optional.empty());
    }

    private static BotRequest request(UUID id, String question) {
        return new BotRequest(id, question, "a", List.of(), false, Optional.empty(), Optional.empty(), false, 1000,
                Citations.NONE);
    }

    @Test
    void anImportReusingAnotherConversationsRequestIdIsAConflictAndWritesNothing() {
        long ws = newWorkspace();
        UUID requestId = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        history.writer().storeWhole(ws, List.of(whole(first, request(requestId, "first"))));
        UUID second = UUID.randomUUID();

        assertThatThrownBy(() -> history.writer().storeChunk(ws, List.of(whole(second, request(requestId, "second"))),
                new ImportRecord() {
                    @Override
                    public void wrote(java.sql.Connection connection, List<Snapshot> replaced, List<UUID> created,
                                      long changeSeq) {
                        throw new AssertionError("a chunk that conflicts must not be recorded as written");
                    }

                    @Override
                    public void undid(java.sql.Connection connection, List<UUID> ids) {
                        throw new AssertionError("nothing to undo");
                    }
                }))
                .isInstanceOf(Conflict.class)
                .hasMessageContaining("already belongs to another conversation");
        assertThat(history.reader().conversation(ws, second)).isEmpty();
        assertThat(history.reader().conversation(ws, first).orElseThrow().botRequests())
                .extracting(BotRequest::question).containsExactly("first");
    }

    @Test
    void storedRowsAreReadBackEvenWhenTheyExceedTodaysLimits() {
        long ws = newWorkspace();
        UUID id = UUID.randomUUID();
        String longQuestion = "q".repeat(Limits.MAX_TEXT_BYTES + 1);
        List<String> manyCategories = java.util.stream.IntStream.range(0, Limits.MAX_CATEGORIES + 5)
                .mapToObj(i -> "c" + i).toList();
        BotRequest oversized = new BotRequest(UUID.randomUUID(), longQuestion, "a", manyCategories, false,
                Optional.empty(), Optional.empty(), false, 1000, Citations.NONE);
        history.writer().storeWhole(ws, List.of(whole(id, oversized)));

        assertThat(history.reader().conversation(ws, id).orElseThrow().botRequests()).containsExactly(oversized);
        assertThatThrownBy(() -> Limits.incoming(oversized)).isInstanceOf(InvalidField.class)
                .hasMessageContaining("question must be at most");
    }

    /** The same store opened a second time, for a history with a listener of a test's own. */
    private Database secondOpening() {
        return Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(), config.databasePoolSize(),
                new SimpleMeterRegistry());
    }

    @Test
    void everyWriteTellsTheListenerWhatItDid() {
        long ws = newWorkspace();
        List<HistoryEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Database database = secondOpening()) {
            tellsTheListener(ws, database, heard);
        }
    }

    private void tellsTheListener(long ws, Database database, List<HistoryEvent> heard) {
        HistoryWriter writer = History.of(database, java.time.Clock.systemUTC(),
                (connection, workspace, event) -> heard.add(event)).writer();
        UUID conversation = UUID.randomUUID();
        UUID firstId = UUID.randomUUID();
        UUID escalatedId = UUID.randomUUID();
        writer.record(ws, an("first").id(firstId).conversation(conversation).build());
        writer.record(ws, an("first").id(firstId).conversation(conversation).build()); // a retry: nothing new
        writer.record(ws, an("help!").id(escalatedId).conversation(conversation).escalation(true).build());
        writer.setFeedback(ws, firstId, Optional.of(FeedbackType.THUMBS_DOWN));
        UUID imported = UUID.randomUUID();
        writer.storeWhole(ws, List.of(whole(imported, request(UUID.randomUUID(), "imported"))));
        writer.storeWhole(ws, List.of(whole(imported, request(UUID.randomUUID(), "imported again"))));
        writer.delete(ws, conversation);

        Optional<UUID> none = Optional.empty();
        assertThat(heard).containsExactly(
                new HistoryEvent(HistoryEvent.Type.CONVERSATION_CREATED, conversation, Optional.of(firstId)),
                new HistoryEvent(HistoryEvent.Type.CONVERSATION_UPDATED, conversation, Optional.of(escalatedId)),
                new HistoryEvent(HistoryEvent.Type.REQUEST_ESCALATED, conversation, Optional.of(escalatedId)),
                new HistoryEvent(HistoryEvent.Type.REQUEST_FEEDBACK, conversation, Optional.of(firstId)),
                new HistoryEvent(HistoryEvent.Type.CONVERSATION_UPDATED, conversation, Optional.of(firstId)),
                new HistoryEvent(HistoryEvent.Type.CONVERSATION_CREATED, imported, none),
                new HistoryEvent(HistoryEvent.Type.CONVERSATION_UPDATED, imported, none),
                new HistoryEvent(HistoryEvent.Type.CONVERSATION_DELETED, conversation, none));
    }

    @Test
    void aWriteWhoseListenerFailsIsNotCommitted() {
        long ws = newWorkspace();
        UUID conversation = UUID.randomUUID();
        try (Database database = secondOpening()) {
            HistoryWriter writer = History.of(database, java.time.Clock.systemUTC(),
                    (connection, workspace, event) -> {
                        throw new java.sql.SQLException("the outbox is full");
                    }).writer();

            assertThatThrownBy(() -> writer.record(ws, an("lost").conversation(conversation).build()))
                    .isInstanceOf(dev.parley.store.StoreException.class);
        }
        assertThat(history.reader().conversation(ws, conversation)).isEmpty();
    }

    /** Builds exchanges for tests; only what a test sets differs from a plain widget exchange. */
    static final class ExchangeBuilder {
        private final String question;
        private String answer = "an answer";
        private Optional<UUID> id = Optional.empty();
        private Optional<UUID> conversation = Optional.empty();
        private Source source = Source.WIDGET;
        private Optional<String> ticket = Optional.empty();
        private Optional<String> userId = Optional.empty();
        private Optional<String> channel = Optional.empty();
        private Optional<String> url = Optional.empty();
        private List<String> categories = List.of();
        private boolean escalation;
        private boolean followup;
        private Citations basedOn = Citations.NONE;
        private OptionalLong createdAt = OptionalLong.empty();

        ExchangeBuilder(String question) {
            this.question = question;
        }

        ExchangeBuilder answer(String value) { answer = value; return this; }
        ExchangeBuilder id(UUID value) { id = Optional.of(value); return this; }
        ExchangeBuilder conversation(UUID value) { conversation = Optional.of(value); return this; }
        ExchangeBuilder source(Source value) { source = value; return this; }
        ExchangeBuilder ticket(String value) { ticket = Optional.of(value); return this; }
        ExchangeBuilder userId(String value) { userId = Optional.of(value); return this; }
        ExchangeBuilder channel(String value) { channel = Optional.of(value); return this; }
        ExchangeBuilder url(String value) { url = Optional.of(value); return this; }
        ExchangeBuilder categories(String... values) { categories = List.of(values); return this; }
        ExchangeBuilder escalation(boolean value) { escalation = value; return this; }
        ExchangeBuilder followup(boolean value) { followup = value; return this; }
        ExchangeBuilder createdAt(long value) { createdAt = OptionalLong.of(value); return this; }

        ExchangeBuilder basedOn(String json) {
            try {
                basedOn = Citations.of("basedOn", JSON.readTree(json));
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        Exchange build() {
            return new Exchange(id, conversation, source, ticket, channel, userId, url, question, answer, categories,
                    escalation, Optional.empty(), followup, basedOn, createdAt);
        }
    }
}
