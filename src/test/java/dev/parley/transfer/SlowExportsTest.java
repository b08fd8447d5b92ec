package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exports read by clients that hardly read at all (stalled sockets) hold whatever an export holds
 * for as long as they like; other requests, of any workspace, must still be served at once.
 */
class SlowExportsTest {

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void stalledExportsOfSeveralKeysLeaveOtherRequestsServedAndTheExcessIsRefusedHonestly(TestStores store)
            throws Exception {
        try (TestServer server = TestServer.start(store)) {
            // enough that an export stalls in the kernel's socket buffers (up to 4 MiB here) long before its end
            TransferTest.demoData(server.parley(), "big", 6000, 7);
            List<String> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                readers.add(server.newKey("big", Scope.READ));
            }
            String bot = server.newKey("bot", Scope.READ, Scope.WRITE);
            URI base = URI.create(server.baseUrl());

            List<Socket> stalled = new ArrayList<>();
            Map<String, List<Integer>> statusesByKey = new HashMap<>();
            List<String> refusals = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    String key = readers.get(i % readers.size());
                    Socket socket = stalledExport(base, key);
                    stalled.add(socket);
                    Head head = head(socket.getInputStream());
                    statusesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(head.status());
                    if (head.status() != 200) {
                        refusals.add(head.text());
                    }
                }

                Response write = server.post("/v2/bots/requests", bot,
                        "{\"source\": \"api\", \"question\": \"still there?\", \"answer\": \"yes\"}");
                assertThat(write.status()).as(write.toString()).isEqualTo(201);
                Response list = server.get("/v2/bots/requests/public?source=all&limit=5", readers.get(0));
                assertThat(list.status()).as(list.toString()).isEqualTo(200);
                Response page = server.get("/v2/bots/requests/public?source=all&limit=5", bot);
                assertThat(page.status()).as(page.toString()).isEqualTo(200);
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }

            int running = 0;
            for (List<Integer> statuses : statusesByKey.values()) {
                long accepted = statuses.stream().filter(s -> s == 200).count();
                assertThat(accepted).as("exports running at once for one key").isLessThanOrEqualTo(2);
                running += (int) accepted;
            }
            assertThat(running).as("exports running at once").isBetween(1, 4);
            assertThat(refusals).hasSize(12 - running).allSatisfy(refusal -> {
                assertThat(refusal).containsAnyOf("HTTP/1.1 429", "HTTP/1.1 503").contains("Retry-After:");
                assertThat(refusal).containsAnyOf("exports at once for this key", "exports at once on this server");
            });
        }
    }

    /** Asks for an export on a socket whose client reads nothing past the response's head. */
    private static Socket stalledExport(URI base, String key) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v2/bots/conversations/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    record Head(int status, String text) {
    }

    /** The status line and headers; for a refusal (a short body) its body too. */
    private static Head head(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            bytes.write(b);
        }
        String head = bytes.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        if (status != 200) {
            byte[] body = new byte[512];
            int n = in.read(body);
            head += n > 0 ? new String(body, 0, n, StandardCharsets.UTF_8) : "";
        }
        return new Head(status, head);
    }
}
