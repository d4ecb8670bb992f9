package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Session#keep} and {@link Session#sendKept} against the JDK's WebSocket client: an echo that hands each
 * message's buffer back to the output, and a relay that hands it to another session of the same reactor, give
 * back every byte at every size, behind an open message stream too; from another thread they are refused.
 */
class KeptSendIntegrationTest {

    private final CompletableFuture<Session> first = new CompletableFuture<>();
    private volatile Session relayTo; // when set, each message goes on to this session instead of back
    private volatile boolean streamFirst; // when set, each echo goes behind an open stream of one more message
    private WebSocketServer server;

    @BeforeEach
    void start() {
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onOpen(Session session) {
                first.complete(session);
            }

            @Override
            public void onBinary(Session session, ByteBuffer data) {
                Session target = relayTo != null && relayTo != session ? relayTo : session;
                ByteBuffer kept = session.keep(data);
                if (streamFirst) {
                    MessageWriter stream = session.openBinaryStream();
                    stream.write(ByteBuffer.wrap(new byte[] {1, 2}));
                    assertEquals(SendResult.ACCEPTED, target.sendKept(kept)); // waits behind the stream
                    stream.finish();
                } else {
                    target.sendKept(kept);
                }
            }
        };
        server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .maxMessageSize(8L << 20).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEchoOfKeptBuffersReturnsEveryByteAtEverySize() throws Exception {
        try (JdkClient client = JdkClient.connect(server.port())) {
            Random random = new Random(11);
            for (int length : new int[] {0, 1, 125, 4096, 16_000, 65_536, 65_537, 300_000, 2_000_000}) {
                byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                client.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
                assertArrayEquals(bytes, client.nextBinary(), "length " + length);
            }
            // The same in three fragments, put together across frames.
            byte[] bytes = new byte[200_000];
            random.nextBytes(bytes);
            client.socket.sendBinary(ByteBuffer.wrap(bytes, 0, 50_000), false).join();
            client.socket.sendBinary(ByteBuffer.wrap(bytes, 50_000, 100_000), false).join();
            client.socket.sendBinary(ByteBuffer.wrap(bytes, 150_000, 50_000), true).join();
            assertArrayEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void aKeptBufferSentBehindAnOpenStreamGoesOutAfterIt() throws Exception {
        streamFirst = true;
        try (JdkClient client = JdkClient.connect(server.port())) {
            byte[] bytes = new byte[100_000];
            new Random(12).nextBytes(bytes);
            client.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
            assertArrayEquals(new byte[] {1, 2}, client.nextBinary(), "the stream's message first");
            assertArrayEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void aKeptBufferGoesToAnotherSessionOfTheSameReactor() throws Exception {
        try (JdkClient receiver = JdkClient.connect(server.port())) {
            relayTo = first.get(10, TimeUnit.SECONDS);
            try (JdkClient sender = JdkClient.connect(server.port())) {
                byte[] bytes = new byte[500_000];
                new Random(13).nextBytes(bytes);
                sender.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
                assertArrayEquals(bytes, receiver.nextBinary());
            }
        }
    }

    @Test
    void fromAnotherThreadTheyAreRefused() throws Exception {
        try (JdkClient client = JdkClient.connect(server.port())) {
            Session session = first.get(10, TimeUnit.SECONDS);
            ByteBuffer data = ByteBuffer.wrap(new byte[] {1});
            assertThrows(IllegalStateException.class, () -> session.keep(data));
            assertThrows(IllegalStateException.class, () -> session.sendKept(data));
            assertThrows(IllegalStateException.class, () -> session.release(data));
            assertTrue(session.isOpen(), "the session is untouched");
            client.socket.sendBinary(ByteBuffer.wrap(new byte[] {9}), true).join();
            assertArrayEquals(new byte[] {9}, client.nextBinary());
        }
    }
}
