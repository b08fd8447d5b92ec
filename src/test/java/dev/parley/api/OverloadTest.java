package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Past capacity the server says 503 at once, in the API's error shape, and serves again when load drops. */
class OverloadTest {

    record Answer(int status, long millis, String retryAfter, String body) {
    }

    @Test
    void pastCapacityRequestsAreShedQuicklyWith503AndServiceRecovers() throws Exception {
        try (TestServer server = TestServer.start(TestStores.SQLITE.freshConfig().withCapacity(2, 2))) {
            String key = server.newKey("busy", Scope.READ, Scope.WRITE);
            long workspace = server.parley().keys().ensureWorkspace(new WorkspaceName("busy"));
            DemoData.generate(2, 2000, 500, batch -> server.parley().history().writer().storeWhole(workspace, batch));
            HttpClient client = HttpClient.newHttpClient();
            ExecutorService load = Executors.newFixedThreadPool(12);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(load.submit(() -> {
                    long started = System.nanoTime();
                    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                                    URI.create(server.baseUrl() + "/v2/bots/conversations/export"))
                            .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofInputStream());
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    String body;
                    try (InputStream in = response.body()) {
                        if (response.statusCode() == 200) {
                            byte[] chunk = new byte[8192];
                            while (in.read(chunk) >= 0) {
                                // slow readers hold their slots for seconds, so that the probe below finds
                                // the server full (at 3 ms a chunk a quiet machine drained the queue between probes)
                                Thread.sleep(10);
                            }
                            body = "";
                        } else {
                            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                    return new Answer(response.statusCode(), millis,
                            response.headers().firstValue("Retry-After").orElse(null), body);
                }));
            }
            assertThat(aliveWhileShedding(server)).as("/healthz while /readyz is shed").isEqualTo(200);
            List<Answer> results = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                results.add(answer.get());
            }
            load.shutdown();

            List<Answer> shed = results.stream().filter(a -> a.status() == 503).toList();
            assertThat(results).allSatisfy(a -> assertThat(a.status()).isIn(200, 503));
            assertThat(results.stream().filter(a -> a.status() == 200)).hasSizeGreaterThanOrEqualTo(2);
            assertThat(shed).isNotEmpty().allSatisfy(a -> {
                assertThat(a.millis()).as("shed within the queue's wait").isLessThan(3_000);
                assertThat(a.retryAfter()).isEqualTo("1");
                assertThat(a.body()).contains("\"code\":\"unavailable\"");
            });
            assertThat(server.get("/v2/bots/requests/public?source=all&limit=1", key).status()).isEqualTo(200);
        }
    }

    /** Waits until the server sheds a request (/readyz answered 503), then asks /healthz at once. */
    private static int aliveWhileShedding(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (server.get("/readyz", null).status() == 503) {
                return server.get("/healthz", null).status();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server never shed /readyz: the load did not reach its capacity");
    }
}
