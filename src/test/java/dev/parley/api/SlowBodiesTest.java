package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request body a byte a second (each byte resetting the idle timeout) must
 * neither take the request slots that others need nor hold their connections for long.
 */
class SlowBodiesTest {

    private static final int CAPACITY = 4;
    private static final int TRICKLERS = 3 * CAPACITY;

    @Test
    void tricklingBodiesLeaveTheSlotsToOthersAndAreCut() throws Exception {
        try (TestServer server = TestServer.start(TestStores.SQLITE.freshConfig().withCapacity(CAPACITY, CAPACITY))) {
            String key = server.newKey("slow", Scope.READ, Scope.WRITE);
            URI base = URI.create(server.baseUrl());
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            List<Socket> tricklers = new ArrayList<>();
            try {
                for (int i = 0; i < TRICKLERS; i++) {
                    tricklers.add(trickler(base, key, i % 3 == 0 ? "/v2/bots/conversations/import" : "/v2/bots/requests",
                            i % 3 == 0 ? "application/x-ndjson" : "application/json"));
                }
                trickle.scheduleAtFixedRate(() -> {
                    for (Socket socket : tricklers) {
                        try {
                            socket.getOutputStream().write(' ');
                            socket.getOutputStream().flush();
                        } catch (IOException cut) {
                            // the server hung up: what it should do
                        }
                    }
                }, 0, 1, TimeUnit.SECONDS);
                Thread.sleep(2_500); // every trickler has sent its head and a few bytes

                Response write = server.post("/v2/bots/requests", key,
                        "{\"source\": \"api\", \"question\": \"anyone?\", \"answer\": \"yes\"}");
                assertThat(write.status()).as(write.toString()).isEqualTo(201);
                Response read = server.get("/v2/bots/requests/public?source=all", key);
                assertThat(read.status()).as(read.toString()).isEqualTo(200);

                for (Socket socket : tricklers) {
                    socket.setSoTimeout(15_000);
                    String answer = answerOrHangUp(socket.getInputStream());
                    assertThat(answer).as("a trickler is answered 408, and cut").startsWith("HTTP/1.1 408")
                            .contains("\"code\":\"request_timeout\"").contains("1024 bytes a second");
                    assertThat(closed(socket.getInputStream())).as("the connection is closed after the 408").isTrue();
                }
            } finally {
                trickle.shutdownNow();
                for (Socket socket : tricklers) {
                    socket.close();
                }
            }
        }
    }

    private static Socket trickler(URI base, String key, String path, String type) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: " + type + "\r\nContent-Length: 4000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static boolean closed(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /** What the server sent before it closed the connection: empty when it only hung up. */
    private static String answerOrHangUp(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[1024];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (text.indexOf("}}") >= 0) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // a reset is a cut too
        }
        return text.toString();
    }
}
