package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What registration refuses, without PARLEY_WEBHOOK_ALLOW_PRIVATE: each a 400 naming the field. */
class RegistrationTest {

    private static TestServer server;
    private static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("registration", Scope.ADMIN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode refused(String body) {
        TestServer.Response response = server.post("/v2/bots/webhooks", key, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().get("error").get("code").asText()).isEqualTo("invalid_body");
        return response.json().get("error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/",
            "http://localhost/", "https://192.168.0.10:8443/hook", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
            "http://224.0.0.1/", "http://[fd00::1]/"})
    void anAddressOfThisMachineOrItsNetworksIsRefused(String url) {
        JsonNode error = refused("{\"url\":\"" + url + "\"}");
        assertThat(error.get("param").asText()).isEqualTo("url");
        assertThat(error.get("message").asText()).startsWith("url cannot be used: its host ")
                .contains("PARLEY_WEBHOOK_ALLOW_PRIVATE=true");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"url":"ftp://hooks.example.com/"}        | url    | url must be an http or https URL, got 'ftp://hooks.example.com/'
            {"url":"/relative"}                       | url    | url must be an http or https URL, got '/relative'
            {"url":"http://user:pw@hooks.example.com/"} | url  | url must not hold a user name or password
            {"url":"http://exa mple.com/"}            | url    | url is not a valid URL: Illegal character in authority, in 'http://exa mple.com/'
            {"url":42}                                | url    | url must be a string: an http or https URL
            {}                                        | url    | url is required: the http or https URL that deliveries are POSTed to
            {"url":"http://no-such-host.invalid/"}    | url    | url cannot be used: its host no-such-host.invalid does not resolve to an address
            {"url":"http://8.8.8.8/","events":["conversation.exploded"]} | events | events must be an array of event names, each once, from: conversation.created, conversation.updated, conversation.deleted, request.escalated, request.feedback; got "conversation.exploded"
            {"url":"http://8.8.8.8/","events":[]}     | events | events must be an array of event names, each once, from: conversation.created, conversation.updated, conversation.deleted, request.escalated, request.feedback (leave it out for every event)
            {"url":"http://8.8.8.8/","secret":"mine"} | secret | 'secret' is not a field here; the fields are url, events
            """)
    void aBadBodyIsRefusedNamingTheField(String body, String param, String message) {
        JsonNode error = refused(body);
        assertThat(error.get("param").asText()).isEqualTo(param);
        assertThat(error.get("message").asText()).isEqualTo(message);
    }

    @Test
    void aPublicAddressIsTakenWithEveryEventByDefault() {
        TestServer.Response created = server.post("/v2/bots/webhooks", key, "{\"url\":\"http://8.8.8.8/hook\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("events").toString()).isEqualTo("[\"conversation.created\","
                + "\"conversation.updated\",\"conversation.deleted\",\"request.escalated\",\"request.feedback\"]");
        assertThat(server.delete("/v2/bots/webhooks/" + created.json().get("id").asText(), key).status())
                .isEqualTo(204);
    }

    @Test
    void aPathIdThatIsNotAUuidIsA400NamingIt() {
        TestServer.Response response = server.get("/v2/bots/webhooks/nope/deliveries", key);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("param").asText()).isEqualTo("id");
    }
}
