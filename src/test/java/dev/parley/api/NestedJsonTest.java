package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** JSON nested too deep is refused as exactly that, with the limit named; JSON within it is taken. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NestedJsonTest {

    private TestServer server;
    private String key;

    @BeforeAll
    void start() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("deep", Scope.READ, Scope.WRITE);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aBodyNestedAThousandDeepIsRefusedAsTooDeeplyNested() {
        Response response = server.post("/v2/bots/requests", key, exchangeCiting(nested(1000)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("invalid_body");
        assertThat(response.json().at("/error/message").asText()).isEqualTo("the body is nested deeper than 100 levels"
                + " of arrays and objects, or holds a number longer than 1000 characters: neither is allowed");
    }

    @Test
    void anImportLineNestedAThousandDeepIsRefusedByItsNumberAsTooDeeplyNested() {
        Response response = TestServer.send(server.request("/v2/bots/conversations/import", key)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": " + nested(1000) + "}\n")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/message").asText()).isEqualTo("line 1: is nested deeper than 100 levels"
                + " of arrays and objects, or holds a number longer than 1000 characters: neither is allowed");
    }

    @Test
    void citationsNestedFiftyDeepAreKept() {
        Response response = server.post("/v2/bots/requests", key, exchangeCiting(nested(50)));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    private static String exchangeCiting(String custom) {
        return "{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"basedOn\": [{\"sourceId\": \"kb\","
                + " \"custom\": " + custom + "}]}";
    }

    /** Arrays inside arrays, {@code depth} levels in all. */
    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
