package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/** Parley with its production wiring on a random port and a real store, and a client for it. */
public final class TestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Parley parley;
    private final Javalin app;
    private final String baseUrl;

    private TestServer(Parley parley) {
        this.parley = parley;
        this.app = parley.serve();
        this.baseUrl = "http://127.0.0.1:" + app.port();
    }

    public static TestServer start(TestStores store) {
        return start(store.freshConfig());
    }

    public static TestServer start(Config config) {
        return new TestServer(Parley.open(config.withPort(0)));
    }

    public Parley parley() {
        return parley;
    }

    public Javalin app() {
        return app;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A new key's secret; makes the workspace when it is new. */
    public String newKey(String workspace, Scope... scopes) {
        return parley.keys().create(new WorkspaceName(workspace), Set.of(scopes)).secret();
    }

    public Response get(String path, String key) {
        return send(request(path, key).GET());
    }

    public Response delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    public Response post(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response patch(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    public static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        parley.close();
    }

    /** What the server answered. */
    public record Response(int status, String body, HttpHeaders headers) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
