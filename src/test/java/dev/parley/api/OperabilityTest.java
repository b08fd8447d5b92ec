package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpClient;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** What an operator relies on, through a real server: readiness, metrics, rate limits, compression. */
class OperabilityTest {

    @Test
    void readyzIs200WhileTheStoreAnswersAnd503OnceItIsGoneWhileHealthzStays200() throws Exception {
        Config config = TestStores.POSTGRESQL.freshConfig();
        try (TestServer server = TestServer.start(config)) {
            assertThat(server.get("/readyz", null).status()).isEqualTo(200);

            String url = config.databaseUrl().orElseThrow();
            String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            try (Connection admin = DriverManager.getConnection(url.replace("/" + database + "?", "/postgres?"))) {
                admin.createStatement().execute("DROP DATABASE " + database + " WITH (FORCE)");
            }

            Response ready = server.get("/readyz", null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.header("Retry-After")).isEqualTo("1");
            assertThat(ready.json().at("/error/code").asText()).isEqualTo("unavailable");
            assertThat(server.get("/healthz", null).status()).isEqualTo(200);
        }
    }

    @Test
    void metricsShowRequestsByRouteAndStatusTheStoreThePoolTheJvmAndTheExchanges() {
        try (TestServer server = TestServer.start(TestStores.SQLITE)) {
            String key = server.newKey("metrics", Scope.READ, Scope.WRITE);
            server.post("/v2/bots/requests", key, "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}");
            server.get("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", key);

            Response metrics = server.get("/metrics", null);

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            assertThat(metrics.body())
                    .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/v2/bots/requests\",status=\"201\"} 1")
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v2/bots/conversations/{id}\",status=\"404\"} 1")
                    .contains("http_server_requests_seconds_bucket{")
                    .contains("parley_store_transactions_seconds_count{kind=\"write\"}")
                    .contains("hikaricp_connections_active")
                    .contains("jvm_memory_used_bytes")
                    .contains("parley_exchanges_recorded_total 1.0")
                    .contains("parley_conversations_started_total 1.0")
                    .doesNotContain(key);
        }
    }

    @Test
    void oneKeysFloodIs429WithRetryAfterWhileAnotherKeyIsServed() {
        try (TestServer server = TestServer.start(TestStores.SQLITE.freshConfig().withRateLimit(5))) {
            String flooding = server.newKey("flood", Scope.READ);
            String calm = server.newKey("flood", Scope.READ);
            List<Response> flood = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                flood.add(server.get("/v2/bots/requests/public?source=all", flooding));
            }

            // a burst of 10 goes through, then about 5 a second refill while the flood goes on
            long accepted = flood.stream().filter(r -> r.status() == 200).count();
            assertThat(accepted).isBetween(10L, 20L);
            Response limited = flood.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
            assertThat(flood).allSatisfy(r -> assertThat(r.status()).isIn(200, 429));
            assertThat(limited.header("Retry-After")).isEqualTo("1");
            assertThat(limited.json().at("/error/code").asText()).isEqualTo("rate_limited");
            assertThat(limited.json().at("/error/message").asText())
                    .isEqualTo("this key may make 5 requests a second (bursts of 10); retry after 1 s");
            assertThat(server.get("/v2/bots/requests/public?source=all", calm).status()).isEqualTo(200);
        }
    }

    @Test
    void listsAndExportsAreGzippedForClientsThatAskAndTinyBodiesAreNot() throws Exception {
        try (TestServer server = TestServer.start(TestStores.SQLITE)) {
            String key = server.newKey("gzip", Scope.READ, Scope.WRITE);
            long workspace = server.parley().keys().ensureWorkspace(new WorkspaceName("gzip"));
            DemoData.generate(3, 100, 100, batch -> server.parley().history().writer().storeWhole(workspace, batch));
            HttpClient client = HttpClient.newHttpClient();

            for (String path : List.of("/v2/bots/requests/public?source=all", "/v2/bots/conversations/export")) {
                HttpResponse<byte[]> zipped = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Authorization", "Bearer " + key).header("Accept-Encoding", "gzip").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(zipped.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
                assertThat(plain.headers().firstValue("Content-Encoding")).as(path).isEmpty();
                String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
                assertThat(unzipped).isEqualTo(plain.body());
                assertThat(zipped.body().length).isLessThan(plain.body().length() / 3);
            }
            HttpResponse<String> tiny = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tiny.headers().firstValue("Content-Encoding")).isEmpty();
        }
    }
}
