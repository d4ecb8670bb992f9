package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server-wide caps with several reactors: one count for the server, whichever reactor a socket lands on;
 * what is refused gets a 503 before any handshake work and is counted; a cap is free again once its sockets go.
 */
class ServerLimitsTest {

    private static final int REACTORS = 4;

    private static WebSocketServer.Builder server() {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler()).daemon(true)
                .reactors(REACTORS);
    }

    @Test
    void theHandshakeCapHoldsForTheServerAsAWhole() throws Exception {
        try (WebSocketServer server = server().maxHandshaking(8).build().start()) {
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    silent.add(connect(server.port()));
                }
                Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_HANDSHAKING) == 8, "eight handshaking");
                for (int i = 0; i < 5; i++) {
                    assertRefused(server.port());
                }
                Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_REFUSED) == 5, "five refused");
                assertEquals(8, server.stats().get(Counter.CONNECTIONS_HANDSHAKING), "spread over the reactors");
            } finally {
                for (Socket socket : silent) {
                    socket.close();
                }
            }
            Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_HANDSHAKING) == 0, "their places back");
            try (JdkClient client = JdkClient.connect(server.port())) {
                client.send("admitted again");
                assertEquals("admitted again", client.nextText());
            }
        }
    }

    @Test
    void theConnectionCapHoldsForTheServerAsAWhole() throws Exception {
        List<JdkClient> clients = new ArrayList<>();
        try (WebSocketServer server = server().maxConnections(10).build().start()) {
            for (int i = 0; i < 10; i++) {
                clients.add(JdkClient.connect(server.port()));
            }
            assertRefused(server.port());
            Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_REFUSED) == 1, "the eleventh refused");
            assertEquals(10, server.stats().connectionsOpen());
            clients.remove(0).close();
            Eventually.until(() -> server.stats().connectionsOpen() == 9, "one gone");
            clients.add(JdkClient.connect(server.port()));
            assertEquals(1, server.stats().get(Counter.CONNECTIONS_REFUSED), "its place was free again");
        } finally {
            clients.forEach(JdkClient::close);
        }
    }

    @Test
    void impossibleLimitsAreRefusedByBuild() {
        assertThrows(IllegalArgumentException.class, () -> server().maxHandshaking(0).build());
        assertThrows(IllegalArgumentException.class, () -> server().maxConnections(0).build());
        assertThrows(IllegalArgumentException.class, () -> server().maxQueuedBytesTotal(0).build());
        assertThrows(IllegalArgumentException.class, () -> server().slowConsumerTimeout(Duration.ZERO).build());
    }

    @Test
    void theDefaultHandshakeCapIsAtMostHalfTheOpenFileLimit() {
        long files = ServerLimits.openFileLimit();
        int cap = ServerLimits.defaultMaxHandshaking();
        assertTrue(cap >= 1 && cap <= ServerLimits.DEFAULT_MAX_HANDSHAKING, "cap " + cap);
        assertTrue(files < 0 || cap <= files / 2, "cap " + cap + " with " + files + " files");
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return socket;
    }

    private static void assertRefused(int port) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.write(RawClient.UPGRADE_REQUEST);
            String response = client.readUntilClosed();
            assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
            assertTrue(response.contains("\r\nRetry-After: 1\r\n"), response);
        }
    }
}
