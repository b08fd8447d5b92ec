package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One attempt against raw sockets that answer as badly as an endpoint can. */
class SenderTest {

    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();
    private final Sender sender = new Sender(deadlines);

    @AfterEach
    void stop() {
        deadlines.shutdownNow();
    }

    /** Accepts one connection, reads the request head, then answers as told; answers the head it read. */
    private static CompletableFuture<String> serveOnce(ServerSocket socket, Answer answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket client = socket.accept()) {
                String head = readHead(client.getInputStream());
                answer.write(client.getOutputStream());
                return head;
            } catch (IOException e) {
                return "closed: " + e.getMessage();
            }
        });
    }

    @FunctionalInterface
    private interface Answer {
        void write(OutputStream out) throws IOException;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    private Sender.Outcome post(ServerSocket socket, String host) {
        WebhookUrl url = WebhookUrl.parse("http://" + host + ":" + socket.getLocalPort() + "/hook?x=1");
        return sender.post(url, InetAddress.getLoopbackAddress(), Map.of("webhook-id", "abc"), "{\"a\":1}");
    }

    @Test
    void aHugeSlowBodyAfterTheStatusLineIsNotWaitedFor() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serveOnce(socket, out -> {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (int i = 0; i < 600; i++) {
                    out.write(new byte[1024]);
                    out.flush();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long started = System.nanoTime();
            Sender.Outcome outcome = post(socket, "127.0.0.1");
            assertThat(outcome.delivered()).isTrue();
            assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
        }
    }

    @Test
    void anAnswerWithoutAStatusLineInItsFirstFourKibIsAFailure() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serveOnce(socket, out -> {
                out.write(new byte[64 * 1024]);
                out.flush();
            });
            Sender.Outcome outcome = post(socket, "127.0.0.1");
            assertThat(outcome.delivered()).isFalse();
            assertThat(outcome.error()).contains("no HTTP status line in the first 4096 bytes of the answer");
        }
    }

    @Test
    void aRedirectIsAnAnswerOtherThan2xxAndIsNotFollowed() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            serveOnce(socket, out -> out.write(("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            Sender.Outcome outcome = post(socket, "127.0.0.1");
            assertThat(outcome.status()).contains(302);
            assertThat(outcome.delivered()).isFalse();
        }
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWhileHostNamesTheUrlsHost() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> head = serveOnce(socket, out -> out.write(
                    "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            // the name is never looked up by the sender: it connects to the address it is given
            Sender.Outcome outcome = post(socket, "hooks.example.invalid");
            assertThat(outcome.delivered()).isTrue();
            assertThat(head.get()).startsWith("POST /hook?x=1 HTTP/1.1\r\n")
                    .contains("\r\nHost: hooks.example.invalid:" + socket.getLocalPort() + "\r\n")
                    .contains("\r\nwebhook-id: abc\r\n").contains("\r\nContent-Length: 7\r\n");
        }
    }

    @Test
    void aClosedPortIsAFailureWithItsReason() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Sender.Outcome outcome = sender.post(WebhookUrl.parse("http://127.0.0.1:" + port + "/"),
                InetAddress.getLoopbackAddress(), Map.of(), "{}");
        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.error().orElseThrow()).startsWith("ConnectException: Connection refused");
    }
}
