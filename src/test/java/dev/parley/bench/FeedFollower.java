package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the changes feed for the benchmarks: reads pages of 500 from a cursor as fast as
 * the server gives them, long-polling ({@code wait=5}) when it has caught up — as a mirror would.
 */
final class FeedFollower implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String key;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong changes = new AtomicLong();
    private final Thread thread;
    private volatile String cursor;
    private volatile Exception failure;

    private FeedFollower(String baseUrl, String key, String cursor) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.cursor = cursor;
        this.thread = new Thread(this::follow, "bench-feed-follower");
    }

    /** Follows from where the feed stands now (the cursor of an export's header). */
    static FeedFollower fromNow(String baseUrl, String key) throws Exception {
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/v2/bots/conversations/export"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.discarding());
        FeedFollower follower = new FeedFollower(baseUrl, key,
                head.headers().firstValue("Parley-Changes-Cursor").orElseThrow());
        follower.thread.start();
        return follower;
    }

    /** Follows from the first change of the workspace. */
    static FeedFollower fromStart(String baseUrl, String key) {
        FeedFollower follower = new FeedFollower(baseUrl, key, null);
        follower.thread.start();
        return follower;
    }

    private void follow() {
        try {
            while (running.get()) {
                String query = "?limit=500&wait=5"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create(baseUrl + "/v2/bots/conversations/changes" + query))
                        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the changes feed answered " + response.statusCode() + ": "
                            + response.body());
                }
                JsonNode page = JSON.readTree(response.body());
                changes.addAndGet(page.get("changes").size());
                cursor = page.get("nextCursor").asText();
            }
        } catch (Exception e) {
            if (running.get()) {
                failure = e;
            }
        }
    }

    long changes() {
        return changes.get();
    }

    /** Stops after the request in flight; answers how many changes it read. */
    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join(Duration.ofSeconds(40).toMillis());
        thread.interrupt();
        if (failure != null) {
            throw failure;
        }
    }
}
