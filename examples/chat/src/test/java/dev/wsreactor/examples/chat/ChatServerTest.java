package dev.wsreactor.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.reactor.Counter;
import dev.wsreactor.reactor.HandshakeFailedException;
import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketClient;
import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chat example end to end, with the JDK's WebSocket client, the project's own and a raw socket. */
class ChatServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TokenStore store = new TokenStore(Duration.ofMillis(300)).add("ada-token", "ada")
            .add("bob-token", "bob").add("cy-token", "cy");
    private final WebSocketServer server = ChatServer.builder(0, store).daemon(true).build().start();

    /** The JDK's client, collecting whole text messages. */
    static final class Listener implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, java.nio.ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                binaries.add(binary.toByteArray());
                binary.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String next = texts.poll(20, TimeUnit.SECONDS);
            assertTrue(next != null, "a message within 20 s");
            return next;
        }
    }

    private WebSocket join(String target, Listener listener) {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + target), listener)
                .orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within 20 s: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void anUploadReachesTheRoomAsItArrivesAndIsAnnouncedWithItsDigest() throws Exception {
        Listener bob = new Listener();
        WebSocket bobs = join("/chat/lobby?token=bob-token", bob);
        assertEquals("* bob joined", bob.next());
        byte[] file = new byte[1 << 20];
        new java.util.Random(7).nextBytes(file);
        WebSocket upload = join("/upload/lobby/photo.bin?token=ada-token", new Listener());
        int part = file.length / 8;
        for (int offset = 0; offset < file.length; offset += part) { // one message in eight frames
            upload.sendBinary(java.nio.ByteBuffer.wrap(file, offset, part), offset + part == file.length)
                    .get(20, TimeUnit.SECONDS);
        }
        byte[] received = bob.binaries.poll(20, TimeUnit.SECONDS);
        assertTrue(received != null, "the upload reached the room within 20 s");
        assertTrue(java.util.Arrays.equals(file, received), "the room got the file as it was sent");
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(file));
        assertEquals("* ada shared photo.bin (1048576 bytes, sha-256 " + sha + ")", bob.next());
        bobs.sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    @Test
    void anUploadThatBreaksOffEndsTheRoomsCopyAndSaysSo() throws Exception {
        Listener bob = new Listener();
        join("/chat/lobby?token=bob-token", bob);
        assertEquals("* bob joined", bob.next());
        WebSocket upload = join("/upload/lobby/half.bin?token=ada-token", new Listener());
        upload.sendBinary(java.nio.ByteBuffer.wrap(new byte[1000]), false).get(20, TimeUnit.SECONDS);
        upload.abort(); // TCP gone in the middle of the message
        assertEquals("* ada's upload of half.bin broke off after 1000 bytes", bob.next());
        byte[] partial = bob.binaries.poll(20, TimeUnit.SECONDS);
        assertTrue(partial != null && partial.length == 1000, "the room's copy ended where the upload did");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aMissingOrUnknownTokenIsRefusedWithItsStatusAndReason() throws Exception {
        CompletionException unknown = assertThrows(CompletionException.class,
                () -> join("/chat/blue?token=stolen", new Listener()));
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, unknown.getCause())
                .getResponse().statusCode());

        try (WireClient wire = new WireClient(server.port())) {
            wire.write(WireClient.request("/chat/blue").getBytes(StandardCharsets.US_ASCII));
            String response = wire.readToEnd();
            assertTrue(response.startsWith("HTTP/1.1 401 Unauthorized\r\n"), response);
            assertTrue(response.endsWith("a token is required: ?token=... or the chat_token cookie\n"), response);
        }
        try (WebSocketClient client = WebSocketClient.builder().build()) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://127.0.0.1:" + server.port() + "/chat/blue"), Map.of("Cookie", "chat_token=nope"),
                    new WebSocketHandler() { }).get(20, TimeUnit.SECONDS));
            assertEquals(403, assertInstanceOf(HandshakeFailedException.class, refused.getCause()).status());
        }
    }

    @Test
    void twoRoomsAreIsolatedAndTheUserComesFromTheToken() throws Exception {
        Listener ada = new Listener();
        Listener bob = new Listener();
        Listener cy = new Listener();
        WebSocket adaSocket = join("/chat/blue?token=ada-token", ada);
        assertEquals("* ada joined", ada.next());
        join("/chat/blue?token=bob-token", bob);
        assertEquals("* bob joined", ada.next());
        assertEquals("* bob joined", bob.next());
        WebSocket cySocket = join("/chat/red?token=cy-token", cy);
        assertEquals("* cy joined", cy.next());

        adaSocket.sendText("hello blue", true).join();
        assertEquals("ada: hello blue", ada.next());
        assertEquals("ada: hello blue", bob.next());
        cySocket.sendText("hello red", true).join();
        assertEquals("cy: hello red", cy.next(), "nothing of blue's came before red's own message");
        assertTrue(ada.texts.isEmpty() && bob.texts.isEmpty(), "nothing of red's reached blue");
    }

    @Test
    void theProjectsClientJoinsWithTheTokenInACookie() throws Exception {
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        try (WebSocketClient client = WebSocketClient.builder().build()) {
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat/green"),
                    Map.of("Cookie", "theme=dark; chat_token=bob-token"), new WebSocketHandler() {
                        @Override
                        public void onText(Session session, String text) {
                            texts.add(text);
                        }
                    }).get(20, TimeUnit.SECONDS);
            assertEquals("* bob joined", texts.poll(20, TimeUnit.SECONDS));
            session.sendText("hi");
            assertEquals("bob: hi", texts.poll(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void framesSentBeforeTheTokenIsCheckedAreKeptAndDeliveredAfterThe101() throws Exception {
        try (WireClient wire = new WireClient(server.port())) {
            wire.write(WireClient.request("/chat/blue?token=ada-token").getBytes(StandardCharsets.US_ASCII),
                    WireClient.textFrame("early one"), WireClient.textFrame("early two"));
            assertTrue(wire.readHead().startsWith("HTTP/1.1 101 "));
            assertEquals("* ada joined", wire.readText());
            assertEquals("ada: early one", wire.readText());
            assertEquals("ada: early two", wire.readText());
        }
    }

    @Test
    void aDecisionThatComesAfterTheClientLeftIsDropped() throws Exception {
        try (WireClient wire = new WireClient(server.port())) {
            wire.write(WireClient.request("/chat/blue?token=ada-token").getBytes(StandardCharsets.US_ASCII));
            until(() -> store.lookups() == 1, "the token is being looked up");
        } // the client leaves while the store is still looking
        until(() -> server.stats().get(Counter.HANDSHAKE_DECISIONS_DROPPED) == 1, "the late decision dropped");
        assertEquals(0, server.stats().get(Counter.SESSIONS_OPEN));
        assertEquals(0, server.stats().get(Counter.CONNECTIONS_OPEN));

        Listener bob = new Listener();
        join("/chat/blue?token=bob-token", bob);
        assertEquals("* bob joined", bob.next(), "alone in the room: ada never joined");
    }
}
