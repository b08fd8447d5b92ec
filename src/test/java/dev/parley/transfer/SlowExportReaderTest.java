package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that reads an export slowly but steadily gets it all; one that stops reading is cut,
 * and the request log says the export was cut rather than a plain 200.
 */
class SlowExportReaderTest {

    private static final int BYTES_PER_SECOND = 16 * 1024;

    @Test
    void aReaderAtSixteenKilobytesASecondIsStillServedPastTheIdleTimeout() throws Exception {
        try (TestServer server = TestServer.start(TestStores.SQLITE)) {
            String key = server.newKey("big", Scope.READ);
            TransferTest.demoData(server.parley(), "big", 6000, 3);
            URI base = URI.create(server.baseUrl());
            try (Socket socket = exportSocket(base, key)) {
                InputStream in = socket.getInputStream();
                long started = System.nanoTime();
                long read = 0;
                byte[] buffer = new byte[4096];
                // 40 s: past the 30 s idle timeout that used to cut such a reader
                while (System.nanoTime() - started < 40_000_000_000L) {
                    int n = in.read(buffer);
                    assertThat(n).as("the export still flowing after %d s and %d bytes",
                            (System.nanoTime() - started) / 1_000_000_000L, read).isPositive();
                    read += n;
                    long due = started + read * 1_000_000_000L / BYTES_PER_SECOND;
                    long early = due - System.nanoTime();
                    if (early > 0) {
                        Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                    }
                }
                // then the rest at once: a cut export would end without the last chunk of its body
                byte[] tail = new byte[0];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    byte[] joined = new byte[Math.min(16, tail.length + n)];
                    byte[] all = new byte[tail.length + n];
                    System.arraycopy(tail, 0, all, 0, tail.length);
                    System.arraycopy(buffer, 0, all, tail.length, n);
                    System.arraycopy(all, all.length - joined.length, joined, 0, joined.length);
                    tail = joined;
                    if (new String(tail, StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                        break;
                    }
                }
                assertThat(new String(tail, StandardCharsets.ISO_8859_1)).as("the end of the export's body")
                        .endsWith("\r\n0\r\n\r\n");
            }
        }
    }

    @Test
    void anExportWhoseClientHangsUpIsLoggedAsCut() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        String bootstrap = "slow-export-reader-test-key-0123456789";
        try (Parley parley = Parley.open(config)) {
            long workspace = parley.keys().ensureWorkspace(WorkspaceName.DEFAULT);
            dev.parley.transfer.DemoData.generate(4, 4000, 500,
                    batch -> parley.history().writer().storeWhole(workspace, batch));
        }
        Path log = config.dataDir().resolve("serve.log");
        try (ChildServer server = ChildServer.start(config, bootstrap, log)) {
            try (Socket socket = exportSocket(URI.create(server.baseUrl()), bootstrap)) {
                assertThat(socket.getInputStream().readNBytes(8192)).hasSize(8192);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            List<String> exports;
            do {
                Thread.sleep(100);
                exports = Files.readAllLines(log).stream()
                        .filter(line -> line.contains("/v2/bots/conversations/export")).toList();
            } while (exports.isEmpty() && System.nanoTime() < deadline);
            assertThat(exports).singleElement().asString().contains("GET /v2/bots/conversations/export 200 cut");
        }
    }

    private static Socket exportSocket(URI base, String key) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v2/bots/conversations/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
