package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our client against our server: messages both ways, the handshake's offers, closing from either side. */
class ClientIntegrationTest {

    private final RecordingHandler serverSide = new RecordingHandler();
    private WebSocketServer server;
    private WebSocketClient client;

    @BeforeEach
    void start() {
        server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(serverSide).daemon(true)
                .subprotocols("chat.v2", "chat.v1")
                .handshakeHook(request -> request.header("Authorization") == null
                        ? HandshakeRejection.of(HttpStatus.FORBIDDEN, "no token") : null)
                .maxMessageSize(8L << 20).build().start();
        client = WebSocketClient.builder().header("Authorization", "Bearer t0ken").build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    private Session open(ClientRecorder recorder) throws Exception {
        return client.connect(uri("/feed?room=1"), recorder).get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesGoBothWaysUnchanged() throws Exception {
        ClientRecorder recorder = new ClientRecorder();
        Session session = open(recorder);
        session.sendText("grüße, 世界");
        assertEquals("grüße, 世界", await(recorder.texts));
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big);
        session.sendBinary(big); // from this thread: copied and handed to the loop
        assertArrayEquals(big, await(recorder.binaries));
        server.broadcast("to everyone").get(5, TimeUnit.SECONDS);
        assertEquals("to everyone", await(recorder.texts));
    }

    @Test
    void theRequestCarriesHeadersPathSubprotocolsAndTheDeflateOffer() throws Exception {
        Session session = open(new ClientRecorder());
        Session accepted = await(serverSide.opened);
        HttpRequest request = accepted.request();
        assertEquals("Bearer t0ken", request.header("Authorization"));
        assertEquals("/feed?room=1", request.target());
        assertTrue(request.header("Sec-WebSocket-Extensions").startsWith("permessage-deflate"));
        assertEquals(null, session.subprotocol(), "nothing was offered, so nothing may be chosen");
    }

    @Test
    void theServersSubprotocolChoiceReachesTheSession() throws Exception {
        try (WebSocketClient offering = WebSocketClient.builder().header("Authorization", "x")
                .subprotocols("chat.v1", "chat.v2").build()) {
            Session session = offering.connect(uri("/"), Map.of("Cookie", "id=7"), new ClientRecorder())
                    .get(10, TimeUnit.SECONDS);
            assertEquals("chat.v2", session.subprotocol()); // the server's preference wins
            assertEquals("id=7", await(serverSide.opened).request().header("Cookie"));
        }
    }

    @Test
    void closingFromTheClientIsACompleteClosingHandshake() throws Exception {
        ClientRecorder recorder = new ClientRecorder();
        Session session = open(recorder);
        await(serverSide.opened);
        session.close(CloseCode.of(4000), "done");
        RecordingHandler.Closed atServer = await(serverSide.closed);
        assertEquals(4000, atServer.code().value());
        assertEquals("done", atServer.reason());
        RecordingHandler.Closed atClient = await(recorder.closed);
        assertEquals(4000, atClient.code().value(), "the server echoes the code (§5.5.1)");
        assertFalse(session.isOpen());
    }

    @Test
    void closingFromTheServerReachesTheClient() throws Exception {
        ClientRecorder recorder = new ClientRecorder();
        open(recorder);
        await(serverSide.opened).close(CloseCode.GOING_AWAY, "bye");
        RecordingHandler.Closed atClient = await(recorder.closed);
        assertEquals(CloseCode.GOING_AWAY, atClient.code());
        assertEquals("bye", atClient.reason());
    }

    @Test
    void aRefusedHandshakeFailsTheFutureWithTheStatus() {
        try (WebSocketClient anonymous = WebSocketClient.builder().build()) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> anonymous.connect(uri("/"), new ClientRecorder()).get(10, TimeUnit.SECONDS));
            HandshakeFailedException cause = assertInstanceOf(HandshakeFailedException.class, failed.getCause());
            assertEquals(403, cause.status());
            assertTrue(cause.getMessage().contains("instead of 101"), cause.getMessage());
        }
    }

    @Test
    void nobodyListeningFailsTheFuture() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(
                URI.create("ws://127.0.0.1:" + port + "/"), new ClientRecorder()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(java.net.ConnectException.class, failed.getCause());
    }

    @Test
    void aUriThatIsNotWebSocketFailsTheFuture() {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.connect(URI.create("http://127.0.0.1/"), new ClientRecorder()).get());
        assertTrue(failed.getCause().getMessage().contains("§3"));
    }

    @Test
    void aMessageOverTheClientsLimitIsRefusedWith1009() throws Exception {
        try (WebSocketClient small = WebSocketClient.builder().header("Authorization", "x").maxMessageSize(1000)
                .build()) {
            ClientRecorder recorder = new ClientRecorder();
            small.connect(uri("/"), recorder).get(10, TimeUnit.SECONDS);
            await(serverSide.opened).sendText("y".repeat(2000));
            assertEquals(CloseCode.MESSAGE_TOO_BIG, await(recorder.closed).code());
            assertEquals(CloseCode.MESSAGE_TOO_BIG, await(serverSide.closed).code(), "the client's Close said so");
        }
    }

    @Test
    void anIdleClientPingsTheServer() throws Exception {
        BlockingQueue<String> pings = new LinkedBlockingQueue<>();
        try (WebSocketServer pinged = WebSocketServer.builder().bind("127.0.0.1", 0).daemon(true)
                .handler(new WebSocketHandler() {
                    @Override
                    public void onPing(Session session, ByteBuffer payload) {
                        pings.add("ping");
                    }
                }).build().start();
                WebSocketClient keepalive = WebSocketClient.builder().pingInterval(Duration.ofMillis(200))
                        .build()) {
            keepalive.connect(URI.create("ws://127.0.0.1:" + pinged.port() + "/"), new ClientRecorder())
                    .get(10, TimeUnit.SECONDS);
            assertEquals("ping", await(pings)); // §5.5.2 keepalive, from the client's own timer
        }
    }
}
