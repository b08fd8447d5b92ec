package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** A client that hangs up mid-export gives back its connection and transaction at once. */
class ExportDisconnectTest {

    @Test
    void aClientThatDisconnectsMidExportReleasesItsTransaction() throws Exception {
        Config config = TestStores.POSTGRESQL.freshConfig();
        try (TestServer server = TestServer.start(config)) {
            String key = server.newKey("big", Scope.READ, Scope.WRITE);
            TransferTest.demoData(server.parley(), "big", 4000, 1);
            URI base = URI.create(server.baseUrl());

            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v2/bots/conversations/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                assertThat(in.readNBytes(8192)).hasSize(8192); // the export is under way
                assertThat(transactionsInProgress(config.databaseUrl().orElseThrow())).isGreaterThanOrEqualTo(1);
            }

            long deadline = System.nanoTime() + 5_000_000_000L;
            int open;
            do {
                Thread.sleep(50);
                open = transactionsInProgress(config.databaseUrl().orElseThrow());
            } while (open > 0 && System.nanoTime() < deadline);
            assertThat(open).as("transactions still open 5 s after the client left").isZero();
        }
    }

    /** Connections of the server's pool that are inside a transaction (not counting this one). */
    private static int transactionsInProgress(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
