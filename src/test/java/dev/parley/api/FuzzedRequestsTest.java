package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded random requests through the real server — odd paths, methods, query
 * strings, headers and bodies, raw bytes that are not quite HTTP — and not one 5xx answer, nor
 * one HTML page: every refusal is the API's JSON.
 */
class FuzzedRequestsTest {

    private static final int REQUESTS = 3000;
    private static final List<String> PATHS = List.of("/v2/bots/requests/public", "/v2/bots/requests",
            "/v2/bots/requests/%s/feedback", "/v2/bots/conversations/%s", "/v2/bots/users/%s/conversations",
            "/v2/bots/conversations/export", "/v2/bots/conversations/import", "/v2/bots/stats", "/healthz", "/readyz",
            "/openapi.json", "/v2/bots/%s", "/%s");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final List<String> PARAMS = List.of("source", "startEpoch", "endEpoch", "limit", "cursor",
            "direction", "category", "feedbackType", "escalation", "hasLinks", "userId", "ticketId", "question",
            "answer", "sourceId", "format");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/x-ndjson",
            "text/plain", "application/json; charset=latin1", "multipart/form-data; boundary=x", "");
    private static final List<String> PIECES = List.of("all", "zendesk", "-1", "0", "201", "9999999999999999999999",
            "True", "%00", "%zz", "%ff%fe", "é", "日本", "🚚", "'; DROP TABLE conversations; --", "\\", "_", "%",
            "a35607bc-8008-44fd-9991-1d7c2c5c3f22", "next", "previous", "csv", "{", "[", "null", " ", "+", "%2F..%2F");
    private static final List<String> BODIES = List.of("", "{}", "[]", "null", "{\"source\":\"api\"}",
            "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}",
            "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\",\"createdAt\":1e400}",
            "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\",\"basedOn\":[[[[]]]]}",
            "{\"feedbackType\":\"thumbs_up\"}", "{\"id\":\"x\",\"source\":\"api\",\"createdAt\":1}\n{",
            "{\"source\":\"api\",\"createdAt\":1,\"botRequests\":[{\"question\":\"q\",\"answer\":\"a\",\"createdAt\":-5}]}",
            "\u0000\u0001\u0002", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}");

    @Test
    void noRandomRequestGetsA5xx() throws Exception {
        long seed = Long.getLong("parley.seed", System.nanoTime());
        Random random = new Random(seed);
        try (TestServer server = TestServer.start(TestStores.SQLITE)) {
            String key = server.newKey("fuzz", Scope.READ, Scope.WRITE);
            String id = server.post("/v2/bots/requests", key, "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}")
                    .json().get("conversationId").asText();
            URI base = URI.create(server.baseUrl());
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String request = randomRequest(random, key, id);
                String head = send(base, request);
                String statusLine = head.lines().findFirst().orElse("");
                boolean html = head.toLowerCase(java.util.Locale.ROOT).contains("\ncontent-type: text/html");
                if (statusLine.matches("HTTP/1\\.1 5\\d\\d.*") || html) {
                    failures.add(statusLine + (html ? " (HTML)" : "") + " for " + request.lines().findFirst().orElse(""));
                }
            }
            assertThat(failures).as("seed %d (rerun with -Dparley.seed=%d)", seed, seed).isEmpty();
        }
    }

    private static String randomRequest(Random random, String key, String id) {
        String path = String.format(pick(random, PATHS), random.nextBoolean() ? id : pick(random, PIECES));
        StringBuilder query = new StringBuilder();
        for (int n = random.nextInt(5); n > 0; n--) {
            query.append(query.isEmpty() ? "?" : "&").append(random.nextInt(8) == 0 ? pick(random, PIECES)
                    : pick(random, PARAMS)).append('=').append(pick(random, PIECES));
        }
        String body = random.nextInt(10) == 0 ? randomBytes(random) : pick(random, BODIES);
        StringBuilder request = new StringBuilder();
        request.append(pick(random, METHODS)).append(' ').append(path.replace(" ", "%20")).append(query)
                .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        switch (random.nextInt(6)) {
            case 0 -> { }
            case 1 -> request.append("Authorization: Bearer ").append(pick(random, PIECES)).append("\r\n");
            case 2 -> request.append("Authorization: bearer\r\n");
            default -> request.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        String contentType = pick(random, CONTENT_TYPES);
        if (!contentType.isEmpty()) {
            request.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (random.nextInt(5) == 0) {
            request.append("Accept-Encoding: gzip\r\nAccept: text/csv\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body);
        return request.toString();
    }

    private static String randomBytes(Random random) {
        char[] chars = new char[random.nextInt(200)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(0xD7FF);
        }
        return new String(chars);
    }

    /** Sends raw bytes and answers the status line and headers (empty when the server closed without them). */
    private static String send(URI base, String request) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            return (end < 0 ? answer : answer.substring(0, end)).replace("\r\n", "\n").trim();
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
