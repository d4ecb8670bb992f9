package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.internal.Opcode;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol violations and application failures over real sockets: the right close code, then a clean TCP close,
 * and no other connection notices anything.
 */
class FailureIntegrationTest {

    private final RecordingHandler handler = new RecordingHandler() {
        @Override
        public void onText(Session session, String text) {
            if (text.equals("throw")) {
                throw new IllegalStateException("the application failed");
            }
            super.onText(session, text);
        }
    };
    private WebSocketServer server;
    private JdkClient bystander;

    @BeforeEach
    void start() {
        server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .maxMessageSize(1024).build().start();
        bystander = JdkClient.connect(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        // Whatever happened to the other connection, this one still echoes.
        bystander.send("unaffected");
        assertEquals("unaffected", bystander.nextText());
        bystander.close();
        server.close();
    }

    private void assertClosedWith(RawClient client, CloseCode expected) throws Exception {
        RawClient.Frame frame = client.readFrame();
        assertEquals(Opcode.CLOSE.code(), frame.opcode(), "expected a Close frame");
        assertEquals(expected.value(), frame.closeCode());
        assertTrue(client.serverClosedTcp(), "the server closes TCP after its Close (§7.1.1)");
    }

    @Test
    void anUnmaskedFrameGets1002() throws Exception {
        // §5.1: "a server MUST close the connection upon receiving a frame that is not masked"
        try (RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.TEXT.code(), true, 0, false, "hi".getBytes());
            assertClosedWith(client, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void invalidUtf8Gets1007() throws Exception {
        // §8.1
        try (RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.TEXT, true, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF});
            assertClosedWith(client, CloseCode.INVALID_PAYLOAD);
        }
    }

    @Test
    void aMessageOverTheLimitGets1009() throws Exception {
        // §7.4.1
        try (RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.BINARY, true, new byte[2000]);
            assertClosedWith(client, CloseCode.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void aReservedOpcodeGets1002() throws Exception {
        // §5.2: opcodes 3-7 and B-F are reserved
        try (RawClient client = RawClient.open(server.port())) {
            client.writeFrame(0x3, true, 0, true, new byte[0]);
            assertClosedWith(client, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void reservedBitsWithoutAnExtensionGet1002() throws Exception {
        // §5.2: RSV1-3 MUST be 0 unless an extension defines them
        try (RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.TEXT.code(), true, 0b100, true, "x".getBytes());
            assertClosedWith(client, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void aHandlerExceptionClosesThatSessionWith1011AndReachesOnError() throws Exception {
        try (RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.TEXT, true, "throw".getBytes());
            RawClient.Frame frame = client.readFrame();
            assertEquals(CloseCode.INTERNAL_ERROR.value(), frame.closeCode());
            client.writeFrame(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xF3});
            assertTrue(client.serverClosedTcp());
        }
        Object event;
        do {
            event = RecordingHandler.await(handler.events);
        } while (!(event instanceof RecordingHandler.Errored));
        assertInstanceOf(IllegalStateException.class, ((RecordingHandler.Errored) event).error());
    }

    @Test
    void aPeerThatVanishesIsReportedAs1006() throws Exception {
        // §7.1.5: TCP closed without a Close frame
        RawClient client = RawClient.open(server.port());
        RecordingHandler.await(handler.opened); // the bystander's
        Session session = RecordingHandler.await(handler.opened);
        client.close();
        RecordingHandler.Closed closed;
        do {
            closed = RecordingHandler.await(handler.closed);
        } while (closed.session() != session);
        assertEquals(CloseCode.ABNORMAL_CLOSURE, closed.code());
    }

    @Test
    void aSilentPeerIsPingedThenClosed() throws Exception {
        // §5.5.2: keepalive. A separate server with short timers.
        try (WebSocketServer quick = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler())
                .daemon(true).idleTimeout(Duration.ofMillis(100)).pongTimeout(Duration.ofMillis(100))
                .closeTimeout(Duration.ofMillis(500)).build().start();
                RawClient client = RawClient.open(quick.port())) {
            RawClient.Frame ping = client.readFrame();
            assertEquals(Opcode.PING.code(), ping.opcode());
            RawClient.Frame close = client.readFrame(); // we never answer
            assertEquals(CloseCode.INTERNAL_ERROR.value(), close.closeCode());
            assertTrue(client.serverClosedTcp());
        }
    }

    @Test
    void aPeerThatAnswersPingsStaysOpen() throws Exception {
        // §5.5.2: each keepalive Ping answered keeps the session open, well past the time in which a peer that does
        // not answer is closed (idle plus pong timeout, the test above).
        Duration idle = Duration.ofMillis(50);
        Duration pong = Duration.ofMillis(100);
        RecordingHandler quiet = new RecordingHandler();
        try (WebSocketServer quick = WebSocketServer.builder().bind("127.0.0.1", 0).handler(quiet).daemon(true)
                .idleTimeout(idle).pongTimeout(pong).build().start();
                RawClient client = RawClient.open(quick.port())) {
            long start = System.nanoTime();
            int rounds = 6;
            for (int i = 0; i < rounds; i++) {
                RawClient.Frame ping = client.readFrame();
                assertEquals(Opcode.PING.code(), ping.opcode(), "keepalive Ping " + i);
                client.writeFrame(Opcode.PONG, true, ping.payload());
            }
            long elapsed = System.nanoTime() - start;
            // A Ping comes only after an idle period, so the rounds took at least this long.
            assertTrue(elapsed >= (rounds - 1) * idle.toNanos(), "pinged too early: " + elapsed + " ns");
            assertTrue(elapsed > idle.plus(pong).toNanos(), "longer than a silent peer is kept");
            client.writeFrame(Opcode.TEXT, true, "still here".getBytes());
            RawClient.Frame frame;
            while ((frame = client.readFrame()).opcode() == Opcode.PING.code()) {
                client.writeFrame(Opcode.PONG, true, frame.payload()); // a Ping may cross our message
            }
            assertEquals("still here", frame.text());
            assertTrue(quiet.closed.isEmpty(), "the session was never closed: " + quiet.closed);
        }
    }
}
