package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The opening handshake over real sockets: every refusal is a proper HTTP answer, then a clean TCP close. */
class HandshakeIntegrationTest {

    private final RecordingHandler handler = new RecordingHandler();
    private WebSocketServer server;

    private WebSocketServer start(WebSocketServer.Builder builder) {
        server = builder.bind("127.0.0.1", 0).handler(handler).daemon(true).build().start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String exchange(String request) throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.write(request);
            return client.readToEnd(); // the server answers, then closes: end of stream, not a timeout
        }
    }

    @Test
    void theRfcSampleKeyGetsTheRfcSampleAccept() throws Exception {
        // §1.3 / §4.2.2
        start(WebSocketServer.builder());
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST);
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
        }
    }

    @Test
    void aWrongVersionGets426NamingTheVersionWeSpeak() throws Exception {
        // §4.2.2 / §4.4
        start(WebSocketServer.builder());
        String response = exchange(RawClient.UPGRADE_REQUEST.replace("Version: 13", "Version: 8"));
        assertTrue(response.startsWith("HTTP/1.1 426 "), response);
        assertTrue(response.contains("Sec-WebSocket-Version: 13\r\n"), response);
    }

    @Test
    void aPostGets405AllowingGet() throws Exception {
        // §4.1: the handshake is a GET
        start(WebSocketServer.builder());
        String response = exchange(RawClient.UPGRADE_REQUEST.replace("GET", "POST"));
        assertTrue(response.startsWith("HTTP/1.1 405 "), response);
        assertTrue(response.contains("Allow: GET\r\n"), response);
    }

    @Test
    void anOversizedHeadGets431() throws Exception {
        start(WebSocketServer.builder().maxHandshakeBytes(1024));
        String response = exchange(RawClient.UPGRADE_REQUEST.replace("\r\n\r\n",
                "\r\nCookie: " + "x".repeat(2000) + "\r\n\r\n"));
        assertTrue(response.startsWith("HTTP/1.1 431 "), response);
    }

    @Test
    void aBadKeyGets400WithAReason() throws Exception {
        // §4.2.1: the key must decode to 16 bytes
        start(WebSocketServer.builder());
        String response = exchange(RawClient.UPGRADE_REQUEST.replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ="));
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        assertTrue(body.contains("Sec-WebSocket-Key"), body);
    }

    @Test
    void garbageGets400() throws Exception {
        start(WebSocketServer.builder());
        String response = exchange("\u0016\u0003\u0001 this is not HTTP\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
    }

    @Test
    void aPlainRequestGoesToTheHttpHandler() throws Exception {
        start(WebSocketServer.builder().httpHandler(request -> request.path().equals("/health")
                ? HttpResponse.text(200, "ok") : null));
        String health = exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(health.startsWith("HTTP/1.1 200 "), health);
        assertTrue(health.endsWith("\r\n\r\nok\n"), health);
        String other = exchange("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(other.startsWith("HTTP/1.1 426 "), other);
    }

    @Test
    void aThrowingHttpHandlerGets500AndTheServerGoesOn() throws Exception {
        start(WebSocketServer.builder().httpHandler(request -> {
            throw new IllegalStateException("boom");
        }));
        String response = exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 500 "), response);
        try (JdkClient client = JdkClient.connect(server.port())) {
            client.send("still here");
            assertEquals("still here", client.nextText());
        }
    }

    @Test
    void aForeignOriginGets403() throws Exception {
        // §10.2
        start(WebSocketServer.builder().origins("https://tickets.example"));
        String foreign = exchange(RawClient.UPGRADE_REQUEST.replace("\r\n\r\n", "\r\nOrigin: https://evil.example\r\n\r\n"));
        assertTrue(foreign.startsWith("HTTP/1.1 403 "), foreign);
        try (RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST.replace("\r\n\r\n", "\r\nOrigin: https://tickets.example\r\n\r\n"));
            assertTrue(client.readHead().startsWith("HTTP/1.1 101 "));
        }
    }

    @Test
    void aHandshakeHookSeesThePathAndMayRefuse() throws Exception {
        start(WebSocketServer.builder().handshakeHook(request -> request.path().startsWith("/private")
                ? HandshakeRejection.of(401, "log in first") : null));
        String refused = exchange(RawClient.UPGRADE_REQUEST.replace("GET / ", "GET /private/x "));
        assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);
        assertTrue(refused.endsWith("log in first\n"), refused);
    }

    @Test
    void theServersFavouriteSubprotocolWins() throws Exception {
        // §4.2.2: the server picks one of the client's, by its own preference
        start(WebSocketServer.builder().subprotocols("seats.v2", "seats.v1"));
        try (JdkClient client = JdkClient.connect(server.port(), "/", List.of("seats.v1", "seats.v2"))) {
            assertEquals("seats.v2", client.socket.getSubprotocol());
            assertEquals("seats.v2", RecordingHandler.await(handler.opened).subprotocol());
        }
    }

    @Test
    @SuppressWarnings("try") // the second client is held open only to fill the connection cap
    void beyondMaxConnectionsASocketGets503AndIsClosedBeforeAnyHandshake() throws Exception {
        start(WebSocketServer.builder().maxConnections(2));
        try (JdkClient first = JdkClient.connect(server.port()); JdkClient second = JdkClient.connect(server.port())) {
            String third;
            try (RawClient client = new RawClient(server.port())) {
                client.write(RawClient.UPGRADE_REQUEST);
                third = client.readUntilClosed(); // closed at once: the request may meet a reset after the 503
            }
            assertTrue(third.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), third);
            assertTrue(third.contains("\r\nConnection: close\r\n"), third);
            Eventually.until(() -> server.stats().get(Counter.CONNECTIONS_REFUSED) == 1, "the refusal is counted");
            assertEquals(2, server.stats().connectionsOpen(), "the refused socket was never one of them");
            first.send("the first two still work");
            assertEquals("the first two still work", first.nextText());
        }
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeIsDropped() throws Exception {
        // §10.4: slowloris; the handshake timeout closes the connection
        start(WebSocketServer.builder().handshakeTimeout(java.time.Duration.ofMillis(200)));
        try (RawClient client = new RawClient(server.port())) {
            client.write("GET / HTTP/1.1\r\nHost: x\r\n");
            assertTrue(client.serverClosedTcp());
        }
        try (RawClient silent = new RawClient(server.port())) {
            assertTrue(silent.serverClosedTcp(), "a connection that sends nothing at all is closed too");
        }
    }

    @Test
    void aConnectionAcceptedAfterTheLoopIdledLongerThanTheHandshakeTimeoutGetsItsFullTimeout() throws Exception {
        // The loop reads the clock when it wakes up, not only before it went to sleep: otherwise a connection
        // accepted after a long idle select starts with a deadline already in the past and is dropped at once.
        start(WebSocketServer.builder().handshakeTimeout(java.time.Duration.ofMillis(300)));
        try (RawClient first = RawClient.open(server.port())) {
            // No timer is armed now (no keepalive by default): the loop sleeps in select until the next event.
            // This client waits for a message that never comes, which lets well over 300 ms pass.
            first.socket.setSoTimeout(800);
            assertThrows(java.net.SocketTimeoutException.class, () -> first.input().read());
            try (RawClient second = RawClient.open(server.port())) {
                second.writeFrame(dev.wsreactor.protocol.Opcode.TEXT, true, "still here".getBytes());
                assertEquals("still here", second.readFrame().text());
            }
        }
    }

    @Test
    void aRequestArrivingOneByteAtATimeIsAccepted() throws Exception {
        start(WebSocketServer.builder());
        try (RawClient client = new RawClient(server.port())) {
            for (byte b : RawClient.UPGRADE_REQUEST.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                client.write(new byte[] {b});
            }
            assertTrue(client.readHead().startsWith("HTTP/1.1 101 "));
        }
    }
}
