package dev.parley.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The differential test of the changes feed: writers change one workspace in every way history
 * can change (new conversations, appends, feedback, deletions, a user's erasure, imports) while a
 * poller follows the feed with long polls and builds a mirror; once the writers stop and the
 * poller has caught up, the mirror must equal an export, conversation for conversation, field for
 * field, and no change may have been listed twice. Servers may be killed and restarted meanwhile:
 * writers and the poller keep trying, the poller from its last cursor.
 */
final class FeedMirror {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "u6");

    private final String key;
    private final Supplier<List<String>> writerUrls;
    private final Supplier<String> pollerUrl;
    private final List<UUID> conversations = new CopyOnWriteArrayList<>();
    private final List<UUID> requests = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> mirror = new HashMap<>();
    private final Set<String> listed = new HashSet<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private String cursor;
    private int changesRead;
    private int duplicates;
    private int pages;

    FeedMirror(String key, Supplier<List<String>> writerUrls, Supplier<String> pollerUrl) {
        this.key = key;
        this.writerUrls = writerUrls;
        this.pollerUrl = pollerUrl;
    }

    /** Starts the poller, runs {@code writers} writers for {@code duration}, with {@code meanwhile} on this thread. */
    void run(int writers, Duration duration, Runnable meanwhile) throws InterruptedException {
        Thread poller = new Thread(() -> {
            try {
                poll();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "feed-poller");
        poller.start();
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + duration.toNanos();
        for (int i = 0; i < writers; i++) {
            Thread writer = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        writeSomething();
                    } catch (RuntimeException e) {
                        pause(50); // a server killed or restarting: try again
                    } catch (AssertionError e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "feed-writer-" + i);
            writer.start();
            threads.add(writer);
        }
        meanwhile.run();
        for (Thread thread : threads) {
            thread.join();
        }
        writing.set(false);
        poller.join(Duration.ofSeconds(90).toMillis());
        if (!failures.isEmpty()) {
            AssertionError failed = new AssertionError("a writer or the poller failed", failures.get(0));
            failures.stream().skip(1).forEach(failed::addSuppressed);
            throw failed;
        }
        assertThat(poller.isAlive()).as("the poller caught up").isFalse();
    }

    int writes() {
        return writes.get();
    }

    int changesRead() {
        return changesRead;
    }

    int pages() {
        return pages;
    }

    /** The mirror equals the export, and nothing was listed twice. */
    void assertMirrorEqualsExport() {
        Map<String, JsonNode> exported = new HashMap<>();
        HttpResponse<String> export = send(pollerUrl.get(), "/v2/bots/conversations/export", "GET", null, null);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Parley-Changes-Cursor")).isPresent();
        for (String line : export.body().split("\n")) {
            if (!line.isBlank()) {
                JsonNode conversation = read(line);
                exported.put(conversation.get("id").asText(), conversation);
            }
        }
        assertThat(mirror.keySet()).containsExactlyInAnyOrderElementsOf(exported.keySet());
        for (Map.Entry<String, JsonNode> entry : exported.entrySet()) {
            assertThat(mirror.get(entry.getKey())).as("conversation %s", entry.getKey()).isEqualTo(entry.getValue());
        }
        assertThat(duplicates).as("changes listed twice").isZero();
    }

    private void poll() {
        while (true) {
            String url = pollerUrl.get();
            boolean stopped = !writing.get();
            HttpResponse<String> response;
            try {
                String query = "?limit=200&wait=" + (stopped ? 0 : 2)
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                response = send(url, "/v2/bots/conversations/changes" + query, "GET", null, null);
            } catch (RuntimeException e) {
                pause(100); // the server is down: the same cursor, again
                continue;
            }
            if (response.statusCode() != 200) {
                assertThat(response.statusCode()).as(response.body()).isIn(503, 429);
                pause(100);
                continue;
            }
            JsonNode page = read(response.body());
            pages++;
            Set<String> inPage = new HashSet<>();
            for (JsonNode change : page.get("changes")) {
                String id = change.get("conversationId").asText();
                assertThat(inPage.add(id)).as("listed once in a page: %s", id).isTrue();
                if (!listed.add(change.toString())) {
                    duplicates++;
                }
                changesRead++;
                if (change.get("type").asText().equals("delete")) {
                    assertThat(change.get("conversation").isNull()).isTrue();
                    mirror.remove(id);
                } else {
                    assertThat(change.get("conversation").get("id").asText()).isEqualTo(id);
                    mirror.put(id, change.get("conversation"));
                }
            }
            cursor = page.get("nextCursor").asText();
            if (stopped && page.get("changes").isEmpty() && !page.get("hasMore").asBoolean()) {
                return;
            }
        }
    }

    private void writeSomething() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> urls = writerUrls.get();
        String url = urls.get(random.nextInt(urls.size()));
        int pick = random.nextInt(100);
        String user = USERS.get(random.nextInt(USERS.size()));
        if (pick < 35 || conversations.isEmpty()) {
            record(url, "{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"userId\": \"" + user + "\"}");
        } else if (pick < 70) {
            UUID conversation = conversations.get(random.nextInt(conversations.size()));
            record(url, "{\"source\": \"api\", \"question\": \"more\", \"answer\": \"b\", \"conversationId\": \""
                    + conversation + "\", \"escalation\": " + random.nextBoolean() + "}");
        } else if (pick < 85 && !requests.isEmpty()) {
            UUID request = requests.get(random.nextInt(requests.size()));
            String feedback = random.nextBoolean() ? "\"thumbs_up\"" : random.nextBoolean() ? "\"thumbs_down\"" : "null";
            ok(send(url, "/v2/bots/requests/" + request + "/feedback", "PUT", "application/json",
                    "{\"feedbackType\": " + feedback + "}"));
        } else if (pick < 93) {
            UUID conversation = conversations.get(random.nextInt(conversations.size()));
            ok(send(url, "/v2/bots/conversations/" + conversation, "DELETE", null, null));
        } else if (pick < 96) {
            ok(send(url, "/v2/bots/users/" + user + "/conversations", "DELETE", null, null));
        } else {
            StringBuilder lines = new StringBuilder();
            long now = System.currentTimeMillis();
            for (int i = 0; i < 3; i++) {
                UUID id = UUID.randomUUID();
                lines.append("{\"id\": \"").append(id).append("\", \"source\": \"zendesk\", \"userId\": \"")
                        .append(user).append("\", \"botRequests\": [{\"question\": \"imported\", \"answer\": \"c\",")
                        .append(" \"createdAt\": ").append(now).append("}]}\n");
                conversations.add(id);
            }
            ok(send(url, "/v2/bots/conversations/import", "POST", "application/x-ndjson", lines.toString()));
        }
        writes.incrementAndGet();
    }

    private void record(String url, String body) {
        HttpResponse<String> response = send(url, "/v2/bots/requests", "POST", "application/json", body);
        ok(response);
        JsonNode recorded = read(response.body());
        if (response.statusCode() == 201) {
            conversations.add(UUID.fromString(recorded.get("conversationId").asText()));
            requests.add(UUID.fromString(recorded.get("id").asText()));
        }
    }

    /** A write may lose a race with a deletion (404, 409) or meet a server at capacity (503). */
    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201, 204, 404, 409, 503);
    }

    private HttpResponse<String> send(String base, String path, String method, String type, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
