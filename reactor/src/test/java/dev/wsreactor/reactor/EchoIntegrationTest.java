package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo path against the JDK's own WebSocket client: messages, sizes, fragments, control frames, closing. */
class EchoIntegrationTest {

    private final RecordingHandler handler = new RecordingHandler();
    private WebSocketServer server;

    @BeforeEach
    void start() {
        server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .maxMessageSize(32L << 20).writeQueueLimits(4L << 20, 16L << 20, 128L << 20).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void textAndBinaryMessagesComeBackUnchanged() throws Exception {
        try (JdkClient client = JdkClient.connect(server.port())) {
            client.send("hello");
            assertEquals("hello", client.nextText());
            client.send("grüße, 世界, 🎟️");
            assertEquals("grüße, 世界, 🎟️", client.nextText());
            client.send("");
            assertEquals("", client.nextText());
            byte[] bytes = {0, 1, 2, (byte) 0xFF};
            client.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
            assertArrayEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void messagesAtEveryLengthEdgeComeBack() throws Exception {
        // §5.2: 125 and 126 switch to the 16-bit length, 65535 and 65536 to the 64-bit one.
        try (JdkClient client = JdkClient.connect(server.port())) {
            Random random = new Random(7);
            for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 65_537, 300_000}) {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                client.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
                assertArrayEquals(bytes, client.nextBinary(), "length " + length);
            }
        }
    }

    @Test
    void sixteenMebibyteMessagesComeBack() throws Exception {
        // The largest messages of the conformance suites' group 9.
        try (JdkClient client = JdkClient.connect(server.port())) {
            byte[] bytes = new byte[16 << 20];
            new Random(9).nextBytes(bytes);
            client.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
            assertArrayEquals(bytes, client.nextBinary());
            String text = "ä".repeat(8 << 20);
            client.send(text);
            assertEquals(text, client.nextText());
        }
    }

    @Test
    void aFragmentedMessageIsDeliveredWhole() throws Exception {
        // §5.4: the JDK client sends each part as its own frame.
        try (JdkClient client = JdkClient.connect(server.port())) {
            client.socket.sendText("frag", false).join();
            client.socket.sendText("ment", false).join();
            client.socket.sendText("ed", true).join();
            assertEquals("fragmented", client.nextText());
            assertInstanceOf(RecordingHandler.Opened.class, RecordingHandler.await(handler.events));
            assertEquals("fragmented", RecordingHandler.await(handler.events));
        }
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingTheSamePayload() throws Exception {
        // §5.5.2
        try (JdkClient client = JdkClient.connect(server.port())) {
            client.socket.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).join();
            JdkClient.Event event = client.next();
            JdkClient.Pong pong = assertInstanceOf(JdkClient.Pong.class, event);
            assertEquals("are you there", new String(pong.data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aClientCloseIsEchoedAndReportedWithItsCodeAndReason() throws Exception {
        // §5.5.1: the server answers Close with Close, echoing the code.
        try (JdkClient client = JdkClient.connect(server.port())) {
            RecordingHandler.await(handler.opened);
            client.socket.sendClose(4001, "done here").join();
            JdkClient.Closed reply = client.awaitClose();
            assertEquals(4001, reply.code());
            RecordingHandler.Closed closed = RecordingHandler.await(handler.closed);
            assertEquals(CloseCode.of(4001), closed.code());
            assertEquals("done here", closed.reason());
        }
    }

    @Test
    void aServerCloseReachesTheClientWithItsCodeAndReason() throws Exception {
        try (JdkClient client = JdkClient.connect(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            session.close(CloseCode.of(4100), "seat map closed");
            JdkClient.Closed closed = client.awaitClose();
            assertEquals(4100, closed.code());
            assertEquals("seat map closed", closed.reason());
            assertEquals(CloseCode.of(4100), RecordingHandler.await(handler.closed).code());
            assertTrue(!session.isOpen());
        }
    }

    @Test
    void aThousandConcurrentClientsEachGetTheirOwnEchoes() throws Exception {
        List<JdkClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                clients.add(JdkClient.connect(server.port()));
            }
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).socket.sendText("client " + i + " round " + round, true);
                }
                for (int i = 0; i < clients.size(); i++) {
                    assertEquals("client " + i + " round " + round, clients.get(i).nextText());
                }
            }
            assertEquals(1000, server.sessions().size());
        } finally {
            clients.forEach(JdkClient::close);
        }
    }

    @Test
    @SuppressWarnings("try") // the client is held open only for the session it makes
    void theSessionKnowsItsRequestAndAddress() throws Exception {
        try (JdkClient client = JdkClient.connect(server.port(), "/seats?show=42", List.of())) {
            Session session = RecordingHandler.await(handler.opened);
            assertEquals("/seats", session.request().path());
            assertEquals("show=42", session.request().query());
            assertEquals("127.0.0.1", session.remoteAddress().getAddress().getHostAddress());
            session.attribute("user", "ada");
            assertEquals("ada", session.attribute("user"));
            session.attribute("user", null);
            assertEquals(null, session.attribute("user"));
            assertTrue(session.isOpen());
        }
    }

    @Test
    void statsCountWhatHappened() throws Exception {
        try (JdkClient client = JdkClient.connect(server.port())) {
            client.send("one");
            client.nextText();
            client.send("two");
            client.nextText();
            // The counters are published at the end of each loop iteration: wait for them, with a deadline.
            Eventually.until(() -> server.stats().messagesSent() >= 2, "both sends counted");
            ServerStats stats = server.stats();
            assertEquals(2, stats.messagesReceived());
            assertEquals(2, stats.messagesSent());
            assertEquals(1, stats.sessionsOpen());
            assertTrue(stats.bytesRead() > 0 && stats.bytesWritten() > 0);
            client.socket.sendClose(4321, "counted").join();
            RecordingHandler.await(handler.closed);
            Eventually.until(() -> !server.stats().closeCodes().isEmpty(), "the close counted");
            assertEquals(java.util.Map.of(4321, 1L), server.stats().closeCodes());
            assertEquals(0, server.stats().sessionsOpen());
        }
    }
}
