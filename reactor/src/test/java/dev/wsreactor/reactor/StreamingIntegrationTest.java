package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages in parts, both ways: a {@link StreamingHandler} receives a 10 MiB message as parts that add up to it
 * (compressed ones as inflated parts), still gets 1007 and 1009; a {@link MessageWriter} sends one message as many
 * frames that the JDK's client and ours reassemble, keeps the session's other messages behind its last frame,
 * and its {@code OutputStream} waits for the queue to drain off the loop.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamingIntegrationTest {

    /** Collects the parts of each message; a whole message is put on {@code messages}. */
    static final class PartsHandler extends RecordingHandler implements StreamingHandler {
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final List<Integer> partSizes = new ArrayList<>();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onTextPart(Session session, CharSequence part, boolean last) {
            text.append(part);
            partSizes.add(part.length());
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
        }

        @Override
        public void onBinaryPart(Session session, ByteBuffer part, boolean last) {
            partSizes.add(part.remaining());
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
        }

        @Override
        public void onText(Session session, String whole) {
            throw new AssertionError("a streaming handler gets no whole messages");
        }
    }

    private static WebSocketServer.Builder server(WebSocketHandler handler) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true);
    }

    @Test
    void aTenMebibyteMessageArrivesInPartsThatAddUpToIt() throws Exception {
        PartsHandler handler = new PartsHandler();
        byte[] message = new byte[10 << 20];
        new Random(7).nextBytes(message);
        try (WebSocketServer server = server(handler).maxMessageSize(16 << 20).build().start();
                JdkClient client = JdkClient.connect(server.port())) {
            client.socket.sendBinary(ByteBuffer.wrap(message), true).get(20, TimeUnit.SECONDS);
            assertArrayEquals(message, RecordingHandler.await(handler.messages));
            assertTrue(handler.partSizes.size() > 10, "in parts: " + handler.partSizes.size());
            assertTrue(handler.partSizes.stream().allMatch(size -> size <= 64 * 1024), "no part is a whole read more");
        }
    }

    @Test
    void aCompressedTextMessageArrivesAsInflatedPartsOfWholeCharacters() throws Exception {
        PartsHandler handler = new PartsHandler();
        String message = "Größe 𝄞 ".repeat(200_000); // 2 MB of UTF-8 that compresses well, 4-byte characters in it
        try (WebSocketServer server = server(handler).maxMessageSize(16 << 20).build().start();
                WebSocketClient client = WebSocketClient.builder().build()) {
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketHandler() { }).get(20, TimeUnit.SECONDS);
            session.sendTextAsync(message).get(20, TimeUnit.SECONDS);
            assertEquals(message, RecordingHandler.await(handler.texts));
            assertTrue(handler.partSizes.size() > 1, "in parts");
            Session serverSide = RecordingHandler.await(handler.opened);
            assertTrue(serverSide.request().header("Sec-WebSocket-Extensions").contains("permessage-deflate"),
                    "offered, and the server agrees by default");
        }
    }

    @Test
    void invalidUtf8MidStreamFailsWith1007() throws Exception {
        PartsHandler handler = new PartsHandler();
        try (WebSocketServer server = server(handler).build().start(); RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.TEXT, false, "so far so good".getBytes(StandardCharsets.UTF_8));
            client.writeFrame(Opcode.CONTINUATION, true, new byte[] {'o', 'k', (byte) 0xFF});
            assertEquals(CloseCode.INVALID_PAYLOAD, RecordingHandler.await(handler.closed).code());
            assertEquals(List.of(14), handler.partSizes.subList(0, 1));
            assertTrue(handler.texts.isEmpty(), "the message never ended");
            RawClient.Frame close = client.readFrame();
            assertEquals(Opcode.CLOSE.code(), close.opcode());
            assertEquals(1007, ByteBuffer.wrap(close.payload()).getShort());
        }
    }

    @Test
    void aStreamOverTheSizeLimitFailsWith1009() throws Exception {
        PartsHandler handler = new PartsHandler();
        try (WebSocketServer server = server(handler).maxMessageSize(64 * 1024).build().start();
                RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.BINARY, false, new byte[40_000]);
            client.writeFrame(Opcode.CONTINUATION, true, new byte[40_000]);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, RecordingHandler.await(handler.closed).code());
            assertEquals(40_000, handler.partSizes.stream().mapToInt(Integer::intValue).sum(), "the first frame only");
            assertEquals(1009, ByteBuffer.wrap(client.readFrame().payload()).getShort());
        }
    }

    @Test
    void aMessageWriterSendsManyFramesThatThePeerReassembles() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        byte[] message = new byte[200_000];
        new Random(3).nextBytes(message);
        try (WebSocketServer server = server(handler).build().start(); RawClient raw = RawClient.open(server.port());
                JdkClient jdk = JdkClient.connect(server.port())) {
            Session first = RecordingHandler.await(handler.opened);
            Session second = RecordingHandler.await(handler.opened);
            Session rawSide = first.remoteAddress().getPort() == raw.socket.getLocalPort() ? first : second;
            Session jdkSide = rawSide == first ? second : first;
            writeInPieces(rawSide, message);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int frames = 0;
            RawClient.Frame frame;
            do {
                frame = raw.readFrame();
                assertEquals(frames == 0 ? Opcode.BINARY.code() : Opcode.CONTINUATION.code(), frame.opcode());
                received.writeBytes(frame.payload());
                frames++;
            } while (!frame.fin());
            assertArrayEquals(message, received.toByteArray());
            assertTrue(frames > 10, "many frames: " + frames);
            writeInPieces(jdkSide, message);
            assertArrayEquals(message, jdk.nextBinary());
            // Text: a write may end between the halves of a surrogate pair; the peer gets whole characters.
            try (MessageWriter text = jdkSide.openTextStream()) {
                assertEquals(SendResult.ACCEPTED, text.write("clef: \uD834"));
                assertEquals(SendResult.ACCEPTED, text.write("\uDD1E, done"));
            }
            assertEquals("clef: 𝄞, done", jdk.nextText());
        }
    }

    private static void writeInPieces(Session session, byte[] message) {
        MessageWriter writer = session.openBinaryStream();
        assertThrows(IllegalStateException.class, session::openTextStream, "one stream at a time");
        for (int at = 0; at < message.length; at += 1000) {
            assertEquals(SendResult.ACCEPTED, writer.write(ByteBuffer.wrap(message, at, Math.min(1000,
                    message.length - at))));
        }
        assertEquals(SendResult.ACCEPTED, writer.finish());
    }

    @Test
    void ourClientStreamsToTheServerAndReassemblesAStreamUnderCompression() throws Exception {
        PartsHandler handler = new PartsHandler();
        byte[] message = new byte[100_000];
        new Random(11).nextBytes(message);
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (WebSocketServer server = server(handler).build().start();
                WebSocketClient client = WebSocketClient.builder().build()) {
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketHandler() {
                        @Override
                        public void onText(Session s, String text) {
                            received.add(text);
                        }
                    }).get(20, TimeUnit.SECONDS);
            writeInPieces(session, message); // masked continuation frames, from the client's side
            assertArrayEquals(message, RecordingHandler.await(handler.messages));
            Session serverSide = RecordingHandler.await(handler.opened);
            String text = "compressible ".repeat(10_000); // permessage-deflate is agreed, the stream goes plain
            try (MessageWriter writer = serverSide.openTextStream()) {
                for (int at = 0; at < text.length(); at += 777) {
                    writer.write(text.substring(at, Math.min(text.length(), at + 777)));
                }
            }
            assertEquals(text, RecordingHandler.await(received));
        }
    }

    @Test
    void otherMessagesWaitForTheStreamsLastFrameButPingsDoNot() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = server(handler).build().start(); RawClient client = RawClient.open(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            MessageWriter writer = session.openTextStream();
            writer.write("x".repeat(MessageWriter.FRAME_PAYLOAD)); // one whole frame goes out at once
            CompletableFuture<Void> other = session.sendTextAsync("other"); // from this thread: queued behind
            byte[] bytes = {7, 8, 9};
            CompletableFuture<Void> otherBinary = session.sendBinaryAsync(ByteBuffer.wrap(bytes)); // held as copied
            bytes[0] = 0; // the copy made for the hand-over is what waits, not the caller's array
            CompletableFuture<Integer> broadcast = server.broadcast("everyone");
            assertEquals(1, broadcast.get(20, TimeUnit.SECONDS));
            assertEquals(SendResult.ACCEPTED, session.ping(ByteBuffer.wrap(new byte[] {1})));
            assertEquals(Opcode.TEXT.code(), client.readFrame().opcode());
            assertEquals(Opcode.PING.code(), client.readFrame().opcode(), "a Ping may go between the frames");
            assertFalse(other.isDone(), "not written while the stream is open");
            writer.write("y");
            assertEquals(SendResult.ACCEPTED, writer.finish());
            RawClient.Frame last = client.readFrame();
            assertEquals(Opcode.CONTINUATION.code(), last.opcode());
            assertTrue(last.fin());
            assertEquals("y", new String(last.payload(), StandardCharsets.UTF_8));
            assertEquals("other", new String(client.readFrame().payload(), StandardCharsets.UTF_8));
            assertArrayEquals(new byte[] {7, 8, 9}, client.readFrame().payload());
            assertEquals("everyone", new String(client.readFrame().payload(), StandardCharsets.UTF_8));
            other.get(20, TimeUnit.SECONDS);
            otherBinary.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSendMadeWhileTheStreamsFirstFrameIsStillGatheredWaitsToo() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = server(handler).build().start(); RawClient client = RawClient.open(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            MessageWriter writer = session.openTextStream();
            writer.write("ab"); // gathered: no frame is out yet
            CompletableFuture<Void> other = session.sendTextAsync("other");
            writer.write("cd");
            assertEquals(SendResult.ACCEPTED, writer.finish());
            assertEquals("abcd", new String(client.readFrame().payload(), StandardCharsets.UTF_8));
            assertEquals("other", new String(client.readFrame().payload(), StandardCharsets.UTF_8));
            other.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theOutputStreamWaitsForTheQueueToDrainAndIsNeverRefused() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        byte[] message = new byte[8 << 20];
        new Random(5).nextBytes(message);
        try (WebSocketServer server = server(handler).writeQueueLimits(16 * 1024, 64 * 1024, 128 * 1024)
                .build().start(); JdkClient client = JdkClient.connect(server.port())) {
            Session session = RecordingHandler.await(handler.opened);
            try (OutputStream out = session.openBinaryStream().asOutputStream()) {
                for (int at = 0; at < message.length; at += 4096) {
                    out.write(message, at, 4096);
                    assertTrue(session.queuedBytes() <= 128 * 1024 + MessageWriter.FRAME_PAYLOAD + 64,
                            "bounded: " + session.queuedBytes());
                }
            }
            assertArrayEquals(message, client.nextBinary());
            assertTrue(session.isOpen());
        }
    }
}
