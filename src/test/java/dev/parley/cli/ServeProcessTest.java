package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code parley serve} as its own process, as an operator runs it. */
class ServeProcessTest {

    private static final String KEY = "serve-process-test-key-0123456789";
    private static final int CONVERSATIONS = 3000;

    record Download(int status, long lines) {
    }

    @Test
    void sigtermDuringFourStreamingExportsLetsAllFourFinishAndExitsZero() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        String secondKey;
        try (Parley parley = Parley.open(config)) {
            long workspace = parley.keys().ensureWorkspace(WorkspaceName.DEFAULT);
            DemoData.generate(5, CONVERSATIONS, 500, batch -> parley.history().writer().storeWhole(workspace, batch));
            secondKey = parley.keys().create(WorkspaceName.DEFAULT, java.util.Set.of(Scope.READ)).secret();
        }
        Path log = config.dataDir().resolve("serve.log");
        ChildServer server = ChildServer.start(config, KEY, log);
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService downloads = Executors.newFixedThreadPool(4);
        CountDownLatch allStarted = new CountDownLatch(4);
        List<Future<Download>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String key = i % 2 == 0 ? KEY : secondKey; // a key may run two exports at once
            results.add(downloads.submit(() -> {
                HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(
                                URI.create(server.baseUrl() + "/v2/bots/conversations/export"))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofInputStream());
                allStarted.countDown();
                long lines = 0;
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    while (reader.readLine() != null) {
                        if (++lines % 100 == 0) {
                            Thread.sleep(20); // a slow reader keeps the export in flight
                        }
                    }
                }
                return new Download(response.statusCode(), lines);
            }));
        }
        allStarted.await();

        int exitCode = server.terminate(Duration.ofSeconds(60));

        for (Future<Download> result : results) {
            assertThat(result.get()).isEqualTo(new Download(200, CONVERSATIONS));
        }
        downloads.shutdown();
        assertThat(exitCode).isZero();
        assertThat(Files.readString(log)).contains("parley: stopping; finishing requests in flight", "parley: stopped");
    }

    @Test
    void withJsonLogsEachRequestIsOneJsonLineWithRouteStatusAndWorkspaceButNoKeyOrChatTextAndNoProbes() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        Path log = config.dataDir().resolve("serve.log");
        try (ChildServer server = ChildServer.start(config, KEY, log, Map.of("PARLEY_LOG_FORMAT", "json"))) {
            HttpClient client = HttpClient.newHttpClient();
            client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/bots/requests"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"source\":\"api\",\"question\":\"my secret question\",\"answer\":\"a\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            client.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                            + "/v2/bots/requests/public?source=all&question=my%20secret%20question"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
        }

        String text = Files.readString(log);
        assertThat(text).doesNotContain(KEY).doesNotContain("secret question").doesNotContain("secret%20question");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> requests = new ArrayList<>();
        for (String line : text.lines().filter(line -> line.startsWith("{")).toList()) {
            JsonNode entry = json.readTree(line);
            if ("parley.requests".equals(entry.path("loggerName").asText())) {
                requests.add(entry);
            }
        }
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).path("formattedMessage").asText())
                .matches("POST /v2/bots/requests 201 [0-9.]+ ms workspace=default");
        assertThat(requests.get(1).path("formattedMessage").asText())
                .matches("GET /v2/bots/requests/public 200 [0-9.]+ ms workspace=default");
        assertThat(requests.get(1).toString()).contains("\"route\"").contains("\"workspace\"");
    }
}
