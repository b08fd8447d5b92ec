package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.testing.WebhookReceiver;
import dev.parley.workspace.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Webhooks end to end: a real server on each store delivering to a real receiver on 127.0.0.1. */
class WebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOON = Duration.ofSeconds(15);

    private static TestServer start(TestStores store) {
        return TestServer.start(store.freshConfig().withWebhookAllowPrivate(true));
    }

    private static JsonNode register(TestServer server, String key, String url, String events) {
        TestServer.Response created = server.post("/v2/bots/webhooks", key,
                "{\"url\":\"" + url + "\"" + (events == null ? "" : ",\"events\":" + events) + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private static JsonNode exchange(TestServer server, String key, String more) {
        TestServer.Response response = server.post("/v2/bots/requests", key,
                "{\"source\":\"api\",\"question\":\"Where is my parcel?\",\"answer\":\"On its way.\"" + more + "}");
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response.json();
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void eachEventTypeIsDeliveredSignedSoThatPythonsHmacVerifiesIt(TestStores store) throws Exception {
        try (TestServer server = start(store); WebhookReceiver receiver = WebhookReceiver.accepting()) {
            String key = server.newKey("hooks", Scope.ADMIN, Scope.WRITE);
            JsonNode webhook = register(server, key, receiver.url(), null);
            JsonNode first = exchange(server, key, ",\"escalation\":true");
            String conversation = first.get("conversationId").asText();
            String request = first.get("id").asText();
            exchange(server, key, ",\"conversationId\":\"" + conversation + "\"");
            assertThat(server.put("/v2/bots/requests/" + request + "/feedback", key,
                    "{\"feedbackType\":\"thumbs_down\"}").status()).isEqualTo(200);
            assertThat(server.delete("/v2/bots/conversations/" + conversation, key).status()).isEqualTo(204);

            // created + escalated, updated, feedback + updated, deleted
            List<WebhookReceiver.Received> received = receiver.await(6, SOON);
            Map<String, Long> types = received.stream().map(r -> json(r.body()).get("type").asText())
                    .collect(Collectors.groupingBy(type -> type, Collectors.counting()));
            assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("conversation.created", 1L,
                    "request.escalated", 1L, "conversation.updated", 2L, "request.feedback", 1L,
                    "conversation.deleted", 1L));
            assertThat(SignatureVerifier.verify(webhook.get("secret").asText(), received))
                    .hasSize(6).containsOnly("ok");
            for (WebhookReceiver.Received delivery : received) {
                JsonNode body = json(delivery.body());
                assertThat(body.get("id").asText()).isEqualTo(delivery.id());
                assertThat(body.get("data").get("conversationId").asText()).isEqualTo(conversation);
                assertThat(Long.parseLong(delivery.timestamp()) * 1000).isCloseTo(System.currentTimeMillis(),
                        org.assertj.core.data.Offset.offset(60_000L));
                assertThat(delivery.host()).isEqualTo(receiver.url().replaceAll("^http://|/hook$", ""));
            }
            JsonNode escalated = received.stream().map(r -> json(r.body()))
                    .filter(body -> body.get("type").asText().equals("request.escalated")).findFirst().orElseThrow();
            assertThat(escalated.get("data").get("requestId").asText()).isEqualTo(request);
            JsonNode deleted = received.stream().map(r -> json(r.body()))
                    .filter(body -> body.get("type").asText().equals("conversation.deleted")).findFirst().orElseThrow();
            assertThat(deleted.get("data").get("requestId").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aWebhookGetsOnlyTheEventsItNamesAndAReplayedRetryCausesNone(TestStores store) throws Exception {
        try (TestServer server = start(store); WebhookReceiver receiver = WebhookReceiver.accepting()) {
            String key = server.newKey("hooks", Scope.ADMIN, Scope.WRITE);
            register(server, key, receiver.url(), "[\"request.escalated\"]");
            String id = UUID.randomUUID().toString();
            exchange(server, key, ",\"id\":\"" + id + "\",\"escalation\":true");
            exchange(server, key, ",\"id\":\"" + id + "\",\"escalation\":true");
            exchange(server, key, "");
            Thread.sleep(2_000);
            assertThat(receiver.received()).hasSize(1);
            assertThat(json(receiver.received().get(0).body()).get("type").asText()).isEqualTo("request.escalated");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aReceiverThatFailsTwiceThenSucceedsGetsTheEventThreeTimesWithOneWebhookId(TestStores store)
            throws Exception {
        try (TestServer server = start(store);
             WebhookReceiver receiver = WebhookReceiver.scripted(number -> number <= 2 ? 500 + number : 204)) {
            String key = server.newKey("hooks", Scope.ADMIN, Scope.WRITE);
            JsonNode webhook = register(server, key, receiver.url(), "[\"conversation.created\"]");
            exchange(server, key, "");
            // the first retry within 5 s, the second within 15 s more
            List<WebhookReceiver.Received> received = receiver.await(3, Duration.ofSeconds(40));
            assertThat(received).hasSize(3);
            assertThat(received.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(1);
            assertThat(received.stream().map(WebhookReceiver.Received::body).distinct()).hasSize(1);
            assertThat(SignatureVerifier.verify(webhook.get("secret").asText(), received)).containsOnly("ok");
            assertThat(received.get(1).arrivedAtNanos() - received.get(0).arrivedAtNanos())
                    .isLessThan(Duration.ofSeconds(10).toNanos());

            JsonNode log = awaitDelivery(server, key, webhook.get("id").asText(), "delivered");
            assertThat(log.get("attempts").asInt()).isEqualTo(3);
            assertThat(log.get("lastStatus").asInt()).isEqualTo(204);
            assertThat(log.get("eventId").asText()).isEqualTo(received.get(0).id());
            assertThat(log.get("nextAttemptAt").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aReceiverThatHangsIsCutAtTenSecondsWhileAnotherEndpointGetsItsEventsAtOnce(TestStores store)
            throws Exception {
        try (TestServer server = start(store);
             WebhookReceiver hanging = WebhookReceiver.scripted(number -> WebhookReceiver.HANG);
             WebhookReceiver healthy = WebhookReceiver.accepting()) {
            String key = server.newKey("hooks", Scope.ADMIN, Scope.WRITE);
            JsonNode stuck = register(server, key, hanging.url(), null);
            register(server, key, healthy.url(), null);
            long sent = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                exchange(server, key, "");
            }
            // five events for each: the hanging endpoint holds two of its own, never the healthy one's
            assertThat(healthy.await(5, Duration.ofSeconds(5))).hasSize(5);
            assertThat(System.nanoTime() - sent).isLessThan(Duration.ofSeconds(5).toNanos());
            assertThat(hanging.await(2, Duration.ofSeconds(5))).hasSize(2);

            JsonNode cut = awaitDelivery(server, key, stuck.get("id").asText(), "pending", 1, Duration.ofSeconds(20));
            assertThat(cut.get("lastError").asText()).isEqualTo("no answer within 10 s");
            long took = cut.get("lastAttemptAt").asLong();
            assertThat(System.nanoTime() - sent).isGreaterThan(Duration.ofSeconds(10).toNanos());
            assertThat(cut.get("nextAttemptAt").asLong()).isGreaterThan(took);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void theSecretIsShownOnceAndTheRoutesListRemoveAndRetry(TestStores store) throws Exception {
        try (TestServer server = start(store); WebhookReceiver receiver = WebhookReceiver.accepting()) {
            String key = server.newKey("hooks", Scope.ADMIN, Scope.WRITE);
            JsonNode created = register(server, key, receiver.url(), "[\"conversation.created\",\"request.feedback\"]");
            String secret = created.get("secret").asText();
            assertThat(secret).startsWith("whsec_");
            assertThat(java.util.Base64.getDecoder().decode(secret.substring(6)).length).isGreaterThanOrEqualTo(24);
            assertThat(created.get("events").toString()).isEqualTo("[\"conversation.created\",\"request.feedback\"]");

            TestServer.Response listed = server.get("/v2/bots/webhooks", key);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body()).doesNotContain("whsec_").contains(created.get("id").asText());

            exchange(server, key, "");
            receiver.await(1, SOON);
            String webhookId = created.get("id").asText();
            JsonNode delivery = awaitDelivery(server, key, webhookId, "delivered");
            TestServer.Response retried = server.post("/v2/bots/webhooks/" + webhookId + "/deliveries/"
                    + delivery.get("id").asText() + "/retry", key, "");
            assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
            assertThat(retried.json().get("state").asText()).isEqualTo("pending");
            List<WebhookReceiver.Received> twice = receiver.await(2, SOON);
            assertThat(twice).hasSize(2);
            assertThat(twice.get(1).id()).isEqualTo(twice.get(0).id());
            awaitDelivery(server, key, webhookId, "delivered", 2, SOON);
            String metrics = server.get("/metrics", null).body();
            assertThat(metrics).contains("parley_webhook_outbox_depth 0.0")
                    .contains("parley_webhook_outbox_oldest_age_seconds 0.0")
                    .contains("parley_webhook_deliveries_total{outcome=\"delivered\"} 2.0");

            assertThat(server.delete("/v2/bots/webhooks/" + webhookId, key).status()).isEqualTo(204);
            assertThat(server.delete("/v2/bots/webhooks/" + webhookId, key).status()).isEqualTo(404);
            assertThat(server.get("/v2/bots/webhooks/" + webhookId + "/deliveries", key).status()).isEqualTo(404);
            assertThat(server.get("/v2/bots/webhooks", key).json().get("data")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aWorkspaceSeesOnlyItsOwnWebhooksAndOnlyAnAdminKeyReachesThem(TestStores store) {
        try (TestServer server = start(store)) {
            String admin = server.newKey("one", Scope.ADMIN);
            String other = server.newKey("two", Scope.ADMIN);
            String writer = server.newKey("one", Scope.READ, Scope.WRITE);
            String id = register(server, admin, "http://127.0.0.1:9/hook", null).get("id").asText();
            assertThat(server.get("/v2/bots/webhooks", other).json().get("data")).isEmpty();
            assertThat(server.delete("/v2/bots/webhooks/" + id, other).status()).isEqualTo(404);
            TestServer.Response refused = server.get("/v2/bots/webhooks", writer);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("error").get("code").asText()).isEqualTo("insufficient_scope");
        }
    }

    static JsonNode awaitDelivery(TestServer server, String key, String webhookId, String state)
            throws InterruptedException {
        return awaitDelivery(server, key, webhookId, state, 1, SOON);
    }

    /** The newest delivery of the webhook, once it is in this state after at least this many attempts. */
    static JsonNode awaitDelivery(TestServer server, String key, String webhookId, String state, int attempts,
                                  Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            TestServer.Response log = server.get("/v2/bots/webhooks/" + webhookId + "/deliveries", key);
            assertThat(log.status()).as(log.toString()).isEqualTo(200);
            for (JsonNode delivery : log.json().get("data")) {
                last = delivery;
                if (delivery.get("state").asText().equals(state) && delivery.get("attempts").asInt() >= attempts) {
                    return delivery;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no delivery " + state + " after " + attempts + " attempts within " + timeout
                + "; the last seen: " + last);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    static Set<String> ids(List<WebhookReceiver.Received> received) {
        return received.stream().map(WebhookReceiver.Received::id).collect(Collectors.toSet());
    }
}
