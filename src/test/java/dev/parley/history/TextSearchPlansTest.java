package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.ConversationSearch.TextPlan;
import dev.parley.store.Database;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plans a substring filter's page may take ({@link TextPlan}) give the same pages: the text
 * index, the walk in page order, and the choice between them by the term's density, for common,
 * rare and absent terms, alone and with the other filters, from the newest page and from cursors
 * in both directions. The history is demo data (where "refund" is in about a quarter of the
 * conversations and "litigation hold" in one in two thousand) and conversations that tie on
 * their creation time.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextSearchPlansTest {

    private static final int CONVERSATIONS = 3000;
    private static final int MAX_PAGES = 4;

    @Parameter
    TestStores store;

    Parley parley;
    Database second;
    long workspace;
    Map<TextPlan, HistoryReader> readers;
    List<Conversation> stored;

    @BeforeParameterizedClassInvocation
    void storeHistory() {
        readers = new EnumMap<>(TextPlan.class);
        stored = new ArrayList<>();
        Config config = store.freshConfig();
        parley = Parley.open(config);
        String secret = parley.keys().create(new WorkspaceName("plans"), Set.of(Scope.READ, Scope.WRITE)).secret();
        workspace = parley.keys().authenticate(secret).orElseThrow().workspaceId();
        DemoData.generate(7, CONVERSATIONS, 500, batch -> {
            parley.history().writer().storeWhole(workspace, batch);
            stored.addAll(batch);
        });
        List<Conversation> tied = tiedAt(DemoData.END - 1000);
        parley.history().writer().storeWhole(workspace, tied);
        stored.addAll(tied);
        second = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry());
        ConversationRows conversations = new ConversationRows(second.dialect());
        RequestRows requests = new RequestRows(second.dialect());
        ReviewRows reviews = new ReviewRows(second.dialect());
        for (TextPlan plan : TextPlan.values()) {
            readers.put(plan, new HistoryReader(second, conversations, requests, reviews, plan));
        }
    }

    @AfterParameterizedClassInvocation
    void close() {
        second.close();
        parley.close();
    }

    @Test
    void everyPlanGivesTheSamePagesForCommonRareAndAbsentTerms() {
        Random random = new Random(11);
        for (Optional<String> question : List.of(Optional.of("refund"), Optional.of("litigation hold"),
                Optional.of("zzqx"), Optional.of("ré"), Optional.<String>empty())) {
            for (Optional<String> answer : List.of(Optional.<String>empty(), Optional.of("refunds"))) {
                if (question.isEmpty() && answer.isEmpty()) {
                    continue;
                }
                for (HistoryFilter filter : combinedWithOthers(question, answer)) {
                    int limit = List.of(1, 7, 50, 200).get(random.nextInt(4));
                    assertSamePages(filter, limit, random);
                }
            }
        }
    }

    @Test
    void aCommonTermFindsTheNewestPageFromTheWalkAndARareOneFromTheIndex() {
        HistoryFilter common = filter(Optional.of("refund"), Optional.empty());
        HistoryFilter rare = filter(Optional.of("litigation hold"), Optional.empty());

        // the same pages whichever plan; what differs is where they come from, which only timings show
        for (HistoryFilter filter : List.of(common, rare)) {
            Page page = readers.get(TextPlan.BY_SELECTIVITY).page(workspace, filter,
                    new PageRequest(50, Optional.empty(), Direction.NEXT));
            assertThat(ids(page)).isEqualTo(expectedNewest(filter, 50));
            assertThat(ids(page)).isNotEmpty();
        }
    }

    @Test
    void anUnknownCursorIsRefusedByEveryPlan() {
        HistoryFilter common = filter(Optional.of("refund"), Optional.empty());
        for (HistoryReader reader : readers.values()) {
            assertThatThrownBy(() -> reader.page(workspace, common, new PageRequest(10, Optional.of(UUID.randomUUID()),
                    Direction.NEXT))).isInstanceOf(InvalidCursor.class);
        }
    }

    private void assertSamePages(HistoryFilter filter, int limit, Random random) {
        String context = filter + ", limit " + limit;
        List<List<Page>> olderByPlan = new ArrayList<>();
        for (TextPlan plan : TextPlan.values()) {
            olderByPlan.add(pagesFrom(readers.get(plan), filter, limit, Optional.empty(), Direction.NEXT));
        }
        assertThat(olderByPlan.get(1)).as(context + ", INDEX vs BY_SELECTIVITY").isEqualTo(olderByPlan.get(0));
        assertThat(olderByPlan.get(2)).as(context + ", WALK vs BY_SELECTIVITY").isEqualTo(olderByPlan.get(0));
        if (modelled(filter)) {
            assertThat(ids(olderByPlan.get(0).get(0))).as(context).isEqualTo(expectedNewest(filter, limit));
        }
        // from cursors that are matches and from one that is any conversation, towards older and newer
        List<UUID> cursors = new ArrayList<>();
        olderByPlan.get(0).stream().flatMap(page -> page.nextCursor().stream()).forEach(cursors::add);
        cursors.add(stored.get(random.nextInt(stored.size())).id());
        for (UUID cursor : cursors.subList(Math.max(0, cursors.size() - 2), cursors.size())) {
            for (Direction direction : Direction.values()) {
                List<List<Page>> byPlan = new ArrayList<>();
                for (TextPlan plan : TextPlan.values()) {
                    byPlan.add(pagesFrom(readers.get(plan), filter, limit, Optional.of(cursor), direction));
                }
                String from = context + ", from " + cursor + " " + direction;
                assertThat(byPlan.get(1)).as(from + ", INDEX").isEqualTo(byPlan.get(0));
                assertThat(byPlan.get(2)).as(from + ", WALK").isEqualTo(byPlan.get(0));
            }
        }
    }

    /** Up to {@value MAX_PAGES} pages, each from the cursor the last one gave in this direction. */
    private List<Page> pagesFrom(HistoryReader reader, HistoryFilter filter, int limit, Optional<UUID> cursor,
                                 Direction direction) {
        List<Page> pages = new ArrayList<>();
        Optional<UUID> at = cursor;
        do {
            Page page = reader.page(workspace, filter, new PageRequest(limit, at, direction));
            pages.add(page);
            at = direction == Direction.NEXT ? page.nextCursor() : page.prevCursor();
        } while (at.isPresent() && pages.size() < MAX_PAGES);
        return pages;
    }

    /** The newest matches, found here from the stored conversations themselves. */
    private List<UUID> expectedNewest(HistoryFilter filter, int limit) {
        return stored.stream()
                .filter(c -> filter.question().map(term -> c.botRequests().stream()
                        .anyMatch(r -> BotRequest.folded(r.question()).contains(term))).orElse(true))
                .filter(c -> filter.answer().map(term -> c.botRequests().stream()
                        .anyMatch(r -> BotRequest.folded(r.answer()).contains(term))).orElse(true))
                .filter(c -> filter.sources().isEmpty() || filter.sources().contains(c.source()))
                .filter(c -> filter.categories().isEmpty() || c.categories().stream().anyMatch(filter.categories()::contains))
                .filter(c -> filter.startEpoch().isEmpty() || c.createdAt() >= filter.startEpoch().getAsLong())
                .filter(c -> filter.endEpoch().isEmpty() || c.createdAt() < filter.endEpoch().getAsLong())
                .filter(c -> filter.userId().isEmpty() || c.userId().equals(filter.userId()))
                // ids tie-break as the stores compare them: byte by byte, as their hex text does
                .sorted((a, b) -> a.createdAt() != b.createdAt() ? Long.compare(b.createdAt(), a.createdAt())
                        : b.id().toString().compareTo(a.id().toString()))
                .limit(limit).map(Conversation::id).toList();
    }

    /** Whether {@link #expectedNewest} knows every filter this one sets. */
    private static boolean modelled(HistoryFilter filter) {
        return filter.feedback().isEmpty() && filter.escalation().isEmpty() && filter.hasLinks().isEmpty()
                && filter.sourceId().isEmpty() && filter.ticketId().isEmpty();
    }

    private List<HistoryFilter> combinedWithOthers(Optional<String> question, Optional<String> answer) {
        long middle = DemoData.END - DemoData.SPAN / 2;
        String user = stored.get(stored.size() - 1).userId().orElse("user-1");
        return List.of(
                filter(question, answer),
                new HistoryFilter(Set.of(Source.ZENDESK, Source.SLACK), OptionalLong.empty(), OptionalLong.empty(),
                        List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), question, answer, Optional.empty()),
                new HistoryFilter(Set.of(), OptionalLong.of(middle - DemoData.SPAN / 10), OptionalLong.of(middle),
                        List.of("refunds"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), question, answer, Optional.empty()),
                new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(), List.of("billing",
                        DemoData.RARE_CATEGORY), Optional.of(FeedbackFilter.NO_FEEDBACK), Optional.empty(),
                        Optional.of(true), Optional.empty(), Optional.empty(), question, answer, Optional.empty()),
                new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(), List.of(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(user), Optional.empty(), question, answer,
                        Optional.empty()),
                new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(), List.of(), Optional.empty(),
                        Optional.of(false), Optional.empty(), Optional.empty(), Optional.empty(), question, answer,
                        Optional.of("kb-refunds-0")));
    }

    private static HistoryFilter filter(Optional<String> question, Optional<String> answer) {
        return new HistoryFilter(Set.of(), OptionalLong.empty(), OptionalLong.empty(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), question, answer,
                Optional.empty());
    }

    /** Conversations that all start at one moment, half of them asking for a refund: ties for the keyset. */
    private static List<Conversation> tiedAt(long at) {
        List<Conversation> tied = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String question = i % 2 == 0 ? "Can I get a refund for order " + i + "?" : "Where is order " + i + "?";
            BotRequest request = new BotRequest(UUID.randomUUID(), question, "See https://help.example.com/refunds",
                    List.of("refunds"), false, Optional.empty(), Optional.empty(), false, at, Citations.NONE);
            tied.add(Conversation.fromRequests(UUID.randomUUID(), Optional.empty(), Source.WIDGET, Optional.empty(),
                    Optional.empty(), Optional.empty(), at, at, List.of(request)));
        }
        return tied;
    }

    private static List<UUID> ids(Page page) {
        return page.conversations().stream().map(Conversation::id).toList();
    }
}
