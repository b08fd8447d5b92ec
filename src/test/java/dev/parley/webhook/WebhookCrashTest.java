package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestStores;
import dev.parley.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An acknowledged write's event survives a SIGKILL of {@code serve}: the kill comes right after
 * the write's 201, while its delivery is held unanswered by the receiver, and the event is
 * delivered (answered 2xx) by the server started again on the same store.
 */
class WebhookCrashTest {

    private static final String KEY = "webhook-crash-test-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void anEventOfAnAcknowledgedWriteIsDeliveredAfterAKillAndARestart(TestStores store) throws Exception {
        Config config = store.freshConfig();
        Path log = config.dataDir().resolve("serve.log");
        Map<String, String> settings = Map.of("PARLEY_WEBHOOK_ALLOW_PRIVATE", "true");
        try (WebhookReceiver receiver = WebhookReceiver.scripted(number -> WebhookReceiver.HANG)) {
            String conversationId;
            try (ChildServer server = ChildServer.start(config, KEY, log, settings)) {
                assertThat(post(server, "/v2/bots/webhooks", "{\"url\":\"" + receiver.url()
                        + "\",\"events\":[\"conversation.created\"]}").statusCode()).isEqualTo(201);
                HttpResponse<String> written = post(server, "/v2/bots/requests",
                        "{\"source\":\"api\",\"question\":\"Is it safe?\",\"answer\":\"Yes.\"}");
                assertThat(written.statusCode()).isEqualTo(201);
                conversationId = JSON.readTree(written.body()).get("conversationId").asText();
                server.kill();
            }
            // whether the killed server had sent it (held unanswered) or not yet, it was never answered
            int heldUnanswered = receiver.received().size();
            receiver.script(number -> 200);
            long restarted = System.nanoTime();
            try (ChildServer server = ChildServer.start(config, KEY, log, settings)) {
                // a delivery claimed by the killed server comes due again when its 30 s lease ends
                List<WebhookReceiver.Received> received = receiver.await(heldUnanswered + 1, Duration.ofSeconds(90));
                assertThat(received).as("a delivery after the restart").hasSize(heldUnanswered + 1);
                WebhookReceiver.Received delivered = received.get(received.size() - 1);
                assertThat(JSON.readTree(delivered.body()).get("data").get("conversationId").asText())
                        .isEqualTo(conversationId);
                assertThat(received.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(1);
                assertThat(System.nanoTime() - restarted).isLessThan(Duration.ofSeconds(90).toNanos());
            }
        }
    }

    private static HttpResponse<String> post(ChildServer server, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
