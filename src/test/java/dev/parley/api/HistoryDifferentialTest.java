package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The history API against a small model of it written here: random histories (many ties on
 * createdAt, several requests per conversation, feedback changes), random filter combinations,
 * every page walked in both directions with small limits. Seeded; the seed is in every failure.
 */
class HistoryDifferentialTest {

    private static final int HISTORIES = 3;
    private static final int FILTERS_PER_HISTORY = 70;
    private static final List<String> SOURCES = List.of("zendesk", "slack", "discord", "widget", "intercom", "ui", "api");
    private static final List<String> CATEGORIES = List.of("billing", "refunds", "shipping", "Login", "fini-other");
    private static final List<String> WORDS = List.of("order", "Où", "ÉTÉ", "été", "100%", "a_b", "back\\slash",
            "straße", "日本語", "Refund", "ab", "x", "ticket", "QUOTE\"d", "🚚 truck");
    private static final List<String> USERS = List.of("u1", "u2", "u3");
    private static final List<String> KNOWLEDGE = List.of("kb-1", "kb-2", "kb-3");

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void theApiAgreesWithTheModelForRandomHistoriesAndFilters(TestStores store) {
        long seed = Long.getLong("parley.seed", System.nanoTime());
        try (TestServer server = TestServer.start(store)) {
            for (int h = 0; h < HISTORIES; h++) {
                Random random = new Random(seed + h);
                String key = server.newKey("diff" + h, Scope.READ, Scope.WRITE);
                List<JsonNode> conversations = recordRandomHistory(server, key, random);
                for (int f = 0; f < FILTERS_PER_HISTORY; f++) {
                    Map<String, String> filter = randomFilter(random, conversations);
                    String context = "seed " + (seed + h) + " (run with -Dparley.seed=" + seed + "), filter " + f + " "
                            + filter;
                    List<String> expected = expectedIds(conversations, filter);
                    int limit = 1 + random.nextInt(7);
                    assertThat(walkOlder(server, key, filter, limit, context)).as(context).isEqualTo(expected);
                    if (!expected.isEmpty()) {
                        assertThat(walkNewer(server, key, filter, limit, expected, context)).as(context)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void walkingOlderYieldsEveryMatchOnceWhileNewConversationsArrive(TestStores store) {
        long seed = Long.getLong("parley.seed", System.nanoTime());
        Random random = new Random(seed);
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("moving", Scope.READ, Scope.WRITE);
            List<JsonNode> before = recordRandomHistory(server, key, random);
            List<String> original = expectedIds(before, Map.of("source", "all"));
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                String query = "source=all&limit=3" + (cursor == null ? "" : "&cursor=" + cursor);
                JsonNode page = server.get("/v2/bots/requests/public?" + query, key).json();
                page.get("conversations").forEach(c -> seen.add(c.get("id").asText()));
                for (int i = 0; i < 2; i++) {
                    recordExchange(server, key, random, null); // new conversations, at random times
                }
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            } while (cursor != null);

            assertThat(new HashSet<>(seen)).as("seed %d: no duplicates", seed).hasSize(seen.size());
            assertThat(seen).as("seed %d", seed).containsAll(original);
        }
    }

    private static List<JsonNode> recordRandomHistory(TestServer server, String key, Random random) {
        List<String> conversationIds = new ArrayList<>();
        List<String> requestIds = new ArrayList<>();
        int conversations = 25 + random.nextInt(40);
        for (int c = 0; c < conversations; c++) {
            String conversationId = UUID.randomUUID().toString();
            conversationIds.add(conversationId);
            int requests = 1 + random.nextInt(4);
            for (int r = 0; r < requests; r++) {
                requestIds.add(recordExchange(server, key, random, conversationId));
            }
        }
        for (int i = 0; i < requestIds.size() / 3; i++) {
            String feedback = switch (random.nextInt(3)) {
                case 0 -> "\"thumbs_up\"";
                case 1 -> "\"thumbs_down\"";
                default -> "null";
            };
            String id = requestIds.get(random.nextInt(requestIds.size()));
            assertThat(server.put("/v2/bots/requests/" + id + "/feedback", key, "{\"feedbackType\": " + feedback + "}")
                    .status()).isEqualTo(200);
        }
        List<JsonNode> stored = new ArrayList<>();
        for (String id : conversationIds) {
            stored.add(server.get("/v2/bots/conversations/" + id, key).json());
        }
        return stored;
    }

    /** Records one random exchange; a null conversation id starts a new conversation. */
    private static String recordExchange(TestServer server, String key, Random random, String conversationId) {
        String source = conversationId == null ? pick(random, SOURCES) : SOURCES.get(Math.abs(conversationId.hashCode()) % SOURCES.size());
        String question = pick(random, WORDS) + " " + pick(random, WORDS) + " " + random.nextInt(100);
        String answer = random.nextInt(4) == 0 ? "see https://help.example.com/" + pick(random, WORDS) : pick(random, WORDS);
        List<String> categories = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            categories.add(pick(random, CATEGORIES));
        }
        String basedOn = random.nextInt(3) == 0
                ? "[{\"sourceId\": \"" + pick(random, KNOWLEDGE) + "\", \"title\": \"Article\"}]" : "[]";
        String body = "{" + (conversationId == null ? "" : "\"conversationId\": \"" + conversationId + "\", ")
                + "\"source\": \"" + source + "\", \"question\": " + json(question) + ", \"answer\": " + json(answer)
                + ", \"categories\": [" + categories.stream().map(HistoryDifferentialTest::json).collect(Collectors.joining(","))
                + "], \"escalation\": " + (random.nextInt(5) == 0) + ", \"basedOn\": " + basedOn
                + ", \"createdAt\": " + (1_700_000_000_000L + 1000L * random.nextInt(12))
                + (random.nextBoolean() ? ", \"userId\": \"" + pick(random, USERS) + "\"" : "")
                + (random.nextInt(3) == 0 ? ", \"externalId\": \"T" + random.nextInt(4) + "\"" : "")
                + "}";
        Response response = server.post("/v2/bots/requests", key, body);
        assertThat(response.status()).as(response.body()).isIn(200, 201);
        return response.json().get("id").asText();
    }

    private static Map<String, String> randomFilter(Random random, List<JsonNode> conversations) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("source", random.nextInt(3) == 0 ? "all"
                : random.ints(1 + random.nextInt(3), 0, SOURCES.size()).mapToObj(SOURCES::get).distinct()
                .collect(Collectors.joining(",")));
        if (random.nextInt(4) == 0) {
            filter.put("startEpoch", Long.toString(1_700_000_000_000L + 1000L * random.nextInt(6)));
        }
        if (random.nextInt(4) == 0) {
            filter.put("endEpoch", Long.toString(1_700_000_006_000L + 1000L * random.nextInt(7)));
        }
        if (random.nextInt(3) == 0) {
            filter.put("category", random.nextBoolean() ? pick(random, CATEGORIES)
                    : pick(random, CATEGORIES) + "," + pick(random, CATEGORIES));
        }
        if (random.nextInt(4) == 0) {
            filter.put("feedbackType", pick(random, List.of("thumbs_up", "thumbs_down", "no_feedback")));
        }
        if (random.nextInt(4) == 0) {
            filter.put("escalation", pick(random, List.of("true", "False", "TRUE")));
        }
        if (random.nextInt(4) == 0) {
            filter.put("hasLinks", pick(random, List.of("True", "false")));
        }
        if (random.nextInt(5) == 0) {
            filter.put("userId", pick(random, USERS));
        }
        if (random.nextInt(6) == 0) {
            filter.put("ticketId", "T" + random.nextInt(4));
        }
        if (random.nextInt(3) == 0) {
            filter.put("question", randomTerm(random, conversations, "question"));
        }
        if (random.nextInt(5) == 0) {
            filter.put("answer", randomTerm(random, conversations, "answer"));
        }
        if (random.nextInt(5) == 0) {
            filter.put("sourceId", pick(random, KNOWLEDGE));
        }
        if (random.nextInt(5) == 0) {
            filter.put("userId", ""); // the reference client sends empty values: they mean absent
            filter.put("feedbackType", "");
        }
        return filter;
    }

    /** A piece of some stored text, in another case now and then, or a word that may match nothing. */
    private static String randomTerm(Random random, List<JsonNode> conversations, String field) {
        if (random.nextInt(4) == 0) {
            return pick(random, WORDS);
        }
        JsonNode conversation = conversations.get(random.nextInt(conversations.size()));
        JsonNode requests = conversation.get("botRequests");
        String text = requests.get(random.nextInt(requests.size())).get(field).asText();
        int[] codePoints = text.codePoints().toArray();
        int length = 1 + random.nextInt(Math.min(6, codePoints.length));
        int start = random.nextInt(codePoints.length - length + 1);
        String term = new String(codePoints, start, length);
        return random.nextBoolean() ? term.toUpperCase(Locale.ROOT) : term;
    }

    private static List<String> expectedIds(List<JsonNode> conversations, Map<String, String> filter) {
        Predicate<JsonNode> matches = c -> true;
        String source = filter.get("source");
        if (!source.equals("all")) {
            Set<String> sources = new HashSet<>(List.of(source.split(",")));
            matches = matches.and(c -> sources.contains(c.get("source").asText()));
        }
        if (present(filter, "startEpoch")) {
            long start = Long.parseLong(filter.get("startEpoch"));
            matches = matches.and(c -> c.get("createdAt").asLong() >= start);
        }
        if (present(filter, "endEpoch")) {
            long end = Long.parseLong(filter.get("endEpoch"));
            matches = matches.and(c -> c.get("createdAt").asLong() < end);
        }
        if (present(filter, "category")) {
            Set<String> wanted = new HashSet<>(List.of(filter.get("category").split(",")));
            matches = matches.and(c -> texts(c.get("categories")).stream().anyMatch(wanted::contains));
        }
        if (present(filter, "feedbackType")) {
            String wanted = filter.get("feedbackType");
            matches = matches.and(c -> wanted.equals("no_feedback") ? c.get("feedbackType").isNull()
                    : wanted.equals(c.get("feedbackType").asText(null)));
        }
        if (present(filter, "escalation")) {
            boolean wanted = Boolean.parseBoolean(filter.get("escalation").toLowerCase(Locale.ROOT));
            matches = matches.and(c -> c.get("escalation").asBoolean() == wanted);
        }
        if (present(filter, "hasLinks")) {
            boolean wanted = Boolean.parseBoolean(filter.get("hasLinks").toLowerCase(Locale.ROOT));
            matches = matches.and(c -> c.get("hasLinks").asBoolean() == wanted);
        }
        if (present(filter, "userId")) {
            matches = matches.and(c -> filter.get("userId").equals(c.get("userId").asText(null)));
        }
        if (present(filter, "ticketId")) {
            matches = matches.and(c -> filter.get("ticketId").equals(c.get("externalId").asText(null)));
        }
        for (String field : List.of("question", "answer")) {
            if (present(filter, field)) {
                String term = filter.get(field).toLowerCase(Locale.ROOT);
                matches = matches.and(c -> requests(c).stream()
                        .anyMatch(r -> r.get(field).asText().toLowerCase(Locale.ROOT).contains(term)));
            }
        }
        if (present(filter, "sourceId")) {
            matches = matches.and(c -> requests(c).stream().anyMatch(r -> {
                for (JsonNode cited : r.get("basedOn")) {
                    if (filter.get("sourceId").equals(cited.path("sourceId").asText(null))) {
                        return true;
                    }
                }
                return false;
            }));
        }
        return conversations.stream().filter(matches)
                .sorted(Comparator.comparingLong((JsonNode c) -> c.get("createdAt").asLong())
                        .thenComparing(c -> c.get("id").asText()).reversed())
                .map(c -> c.get("id").asText()).toList();
    }

    /** Follows nextCursor from the newest page; checks every page's flags on the way. */
    private static List<String> walkOlder(TestServer server, String key, Map<String, String> filter, int limit,
                                          String context) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            JsonNode page = page(server, key, filter, limit, cursor, "next", context);
            List<String> ids = ids(page);
            boolean last = page.get("nextCursor").isNull();
            assertThat(page.get("hasMore").asBoolean()).as(context).isEqualTo(!last);
            assertThat(page.get("prevCursor").isNull()).as(context).isEqualTo(seen.isEmpty());
            if (!ids.isEmpty()) {
                assertThat(ids).as(context).hasSizeLessThanOrEqualTo(limit);
                if (!last) {
                    assertThat(page.get("nextCursor").asText()).as(context).isEqualTo(ids.get(ids.size() - 1));
                    assertThat(ids).as(context).hasSize(limit);
                }
                if (!seen.isEmpty()) {
                    assertThat(page.get("prevCursor").asText()).as(context).isEqualTo(ids.get(0));
                }
            }
            seen.addAll(ids);
            if (last) {
                return seen;
            }
            cursor = page.get("nextCursor").asText();
        }
        throw new AssertionError(context + ": more than 1000 pages");
    }

    /** From the oldest match, follows prevCursor to the newest; the pages come back newest first. */
    private static List<String> walkNewer(TestServer server, String key, Map<String, String> filter, int limit,
                                          List<String> expected, String context) {
        List<String> seen = new ArrayList<>(List.of(expected.get(expected.size() - 1)));
        String cursor = expected.get(expected.size() - 1);
        for (int pages = 0; pages < 1000; pages++) {
            JsonNode page = page(server, key, filter, limit, cursor, "previous", context);
            List<String> ids = ids(page);
            boolean last = page.get("prevCursor").isNull();
            assertThat(page.get("hasMore").asBoolean()).as(context).isEqualTo(!last);
            if (!ids.isEmpty()) {
                assertThat(page.get("nextCursor").asText()).as(context).isEqualTo(ids.get(ids.size() - 1));
                if (!last) {
                    assertThat(page.get("prevCursor").asText()).as(context).isEqualTo(ids.get(0));
                    assertThat(ids).as(context).hasSize(limit);
                }
            }
            seen.addAll(0, ids);
            if (last) {
                return seen;
            }
            cursor = page.get("prevCursor").asText();
        }
        throw new AssertionError(context + ": more than 1000 pages");
    }

    private static JsonNode page(TestServer server, String key, Map<String, String> filter, int limit, String cursor,
                                 String direction, String context) {
        StringBuilder query = new StringBuilder("limit=" + limit + "&direction=" + direction);
        if (cursor != null) {
            query.append("&cursor=").append(cursor);
        }
        filter.forEach((name, value) -> query.append('&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        Response response = server.get("/v2/bots/requests/public?" + query, key);
        assertThat(response.status()).as(context + " " + response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("conversations").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    private static List<JsonNode> requests(JsonNode conversation) {
        List<JsonNode> requests = new ArrayList<>();
        conversation.get("botRequests").forEach(requests::add);
        return requests;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    private static boolean present(Map<String, String> filter, String name) {
        return filter.containsKey(name) && !filter.get(name).isEmpty();
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
