package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Python example of the reference page, copied as is into {@code reference/fini_client_example.py}
 * and run with only its {@code url} and {@code token} changed, against a live server. Needs a
 * Python with {@code requests} ({@code PARLEY_TEST_PYTHON}, else {@code python3}); bin/test makes
 * sure there is one. Without it this test fails: it never skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceClientTest {

    private static final String EXAMPLE_QUESTION_MATCH = "Hi! This is an EXAMPLE QUESTION? about my order";

    TestServer server;
    String key;
    String match;
    List<String> decoys;

    @BeforeAll
    void recordTheMatchAmongDecoys() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("reference", Scope.READ, Scope.WRITE);
        String matching = """
                "source": "zendesk", "externalId": "ticket456", "categories": ["support", "orders"],
                "escalation": true, "createdAt": 1634000000000""";
        match = record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching);
        decoys = List.of(
                record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching.replace("zendesk", "slack")),
                record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching.replace("ticket456", "ticket457")),
                record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching.replace("\"support\", ", "")),
                record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching.replace("true", "false")),
                record(EXAMPLE_QUESTION_MATCH, "See https://help.example.com/orders", matching),
                record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching.replace("1634000000000", "1635638400000")),
                record(EXAMPLE_QUESTION_MATCH, "We are on it.", matching.replace("1634000000000", "1633046399999")),
                record("An example question about my order", "We are on it.", matching));
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    private String record(String question, String answer, String fields) {
        var response = server.post("/v2/bots/requests", key,
                "{\"conversationId\": \"" + UUID.randomUUID() + "\", \"question\": \"" + question
                        + "\", \"answer\": \"" + answer + "\", " + fields + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("conversationId").asText();
    }

    @Test
    void asWrittenItsPlaceholderCursorIsRefusedNamingTheCursor() throws Exception {
        String output = runExample(exampleFor(server.baseUrl(), key));

        assertThat(output).isEqualTo("Failed to fetch data: 400\n");
        var sameQuery = server.get("/v2/bots/requests/public?startEpoch=1633046400000&endEpoch=1635638400000&limit=50"
                + "&direction=&cursor=your_cursor_value&source=zendesk&category=support&feedbackType=&escalation=True"
                + "&hasLinks=False&userId=&ticketId=ticket456&question=Example+question%3F", key);
        assertThat(sameQuery.json().at("/error/code").asText()).isEqualTo("invalid_cursor");
        assertThat(sameQuery.json().at("/error/param").asText()).isEqualTo("cursor");
    }

    @Test
    void withoutTheCursorItFindsTheOneMatchingConversationAmongDecoys() throws Exception {
        String example = exampleFor(server.baseUrl(), key)
                .replace("    \"cursor\": \"your_cursor_value\",  # Optional\n", "");

        String output = runExample(example);

        assertThat(output).startsWith("{'conversations': [{'id': '" + match + "'");
        assertThat(output).contains("'hasMore': False");
        for (String decoy : decoys) {
            assertThat(output).doesNotContain(decoy);
        }
    }

    /** The reference example with only its url and token replaced. */
    private static String exampleFor(String baseUrl, String token) throws IOException {
        String example;
        try (InputStream in = ReferenceClientTest.class.getResourceAsStream("/reference/fini_client_example.py")) {
            example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String url = "url = \"https://api-prod.usefini.com/v2/bots/requests/public\"";
        String placeholderToken = "token = \"your_api_key\"";
        assertThat(example).contains(url, placeholderToken);
        return example.replace(url, "url = \"" + baseUrl + "/v2/bots/requests/public\"")
                .replace(placeholderToken, "token = \"" + token + "\"");
    }

    private static String runExample(String script) throws Exception {
        Path file = Files.createTempFile("fini-example", ".py");
        Files.writeString(file, script);
        String python = System.getenv().getOrDefault("PARLEY_TEST_PYTHON", "python3");
        Process process = new ProcessBuilder(python, file.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the example finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
