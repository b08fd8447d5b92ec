package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PARLEY_HOST: serve on one interface only, or on every interface when it is unset. */
class ListenAddressTest {

    @Test
    void withAHostTheServerListensOnThatInterfaceOnly() {
        try (TestServer server = TestServer.start(TestStores.SQLITE.freshConfig().withHost(Optional.of("127.0.0.1")))) {
            int port = server.app().port();

            assertThat(server.get("/healthz", null).status()).isEqualTo(200);
            assertThatThrownBy(() -> connect("::1", port)).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void withoutAHostTheServerListensOnEveryInterface() throws Exception {
        try (TestServer server = TestServer.start(TestStores.SQLITE)) {
            int port = server.app().port();

            connect("127.0.0.1", port);
            connect("::1", port);
        }
    }

    @Test
    void anIpv6AddressInBracketsIsTakenAsTheAddress() {
        Config config = Config.fromEnvironment(java.util.Map.of("PARLEY_HOST", "[::1]"));

        assertThat(config.host()).contains("::1");
    }

    private static void connect(String address, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }
}
