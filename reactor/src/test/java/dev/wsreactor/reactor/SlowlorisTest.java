package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris: 2,000 connections that each send their opening handshake one byte a second. At most
 * {@code maxHandshaking} of them are ever being served; the rest are refused as they come (a canned 503), the
 * admitted ones are dropped at the handshake timeout, each is counted once, and an open session is served
 * throughout as if nothing happened.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowlorisTest {

    private static final int SOCKETS = 2_000;
    private static final int MAX_HANDSHAKING = 500;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One slow client: a non-blocking socket, how far it got, and when the server closed it. */
    private static final class Loris {
        final SocketChannel channel;
        final long connectedAt = System.nanoTime();
        int sent;
        long closedAt;

        Loris(int port) throws IOException {
            channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
        }

        /** Sends the next byte of its request; notes when the server closed the connection. */
        void drip(ByteBuffer scratch, long now) {
            if (closedAt != 0) {
                return;
            }
            try {
                scratch.clear();
                int n = channel.read(scratch); // a 503, if refused: read and forgotten
                if (n < 0) {
                    closedAt = now;
                } else if (sent < REQUEST.length && now - connectedAt >= sent * 1_000_000_000L) {
                    sent += channel.write(ByteBuffer.wrap(REQUEST, sent, 1));
                }
            } catch (IOException reset) {
                closedAt = now;
            }
        }
    }

    @Test
    void slowHandshakesAreCappedDroppedAtTheTimeoutAndCountedWhileASessionIsServed() throws Exception {
        long files = ServerLimits.openFileLimit();
        assertTrue(files < 0 || files > 2 * SOCKETS + 500, "this test needs 4,500 open files, the limit is " + files);
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).daemon(true)
                .handler(new RecordingHandler()).maxHandshaking(MAX_HANDSHAKING)
                .handshakeTimeout(Duration.ofNanos(TIMEOUT_NANOS)).build().start();
                JdkClient bystander = JdkClient.connect(server.port())) {
            List<Loris> lorises = new ArrayList<>();
            ByteBuffer scratch = ByteBuffer.allocate(1024);
            long worstRoundTrip = 0;
            long maxHandshaking = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int round = 0;
            while (System.nanoTime() - deadline < 0) {
                long now = System.nanoTime();
                for (int i = 0; i < 200 && lorises.size() < SOCKETS; i++) {
                    lorises.add(new Loris(server.port())); // ten rounds to open them all: a flood, not a burst
                }
                int open = 0;
                for (Loris loris : lorises) {
                    loris.drip(scratch, now);
                    open += loris.closedAt == 0 ? 1 : 0;
                }
                maxHandshaking = Math.max(maxHandshaking, server.stats().get(Counter.CONNECTIONS_HANDSHAKING));
                long sentAt = System.nanoTime();
                bystander.send("round " + round);
                assertEquals("round " + round++, bystander.nextText());
                worstRoundTrip = Math.max(worstRoundTrip, System.nanoTime() - sentAt);
                if (lorises.size() == SOCKETS && open == 0) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            int refused = 0; // closed at once
            int timedOut = 0; // served until the handshake timeout
            for (Loris loris : lorises) {
                long lived = loris.closedAt - loris.connectedAt;
                assertTrue(loris.closedAt != 0, "every slow handshake is dropped");
                assertTrue(lived < TIMEOUT_NANOS + MARGIN_NANOS, "dropped by the timeout: lived " + lived + " ns");
                if (lived < TIMEOUT_NANOS / 2) {
                    refused++;
                } else {
                    timedOut++;
                }
                loris.channel.close();
            }
            ServerStats stats = server.stats();
            System.out.printf("slowloris: %d refused, %d timed out, at most %d handshaking, worst bystander round"
                    + " trip %d ms%n", stats.get(Counter.CONNECTIONS_REFUSED),
                    stats.get(Counter.HANDSHAKES_TIMED_OUT), maxHandshaking, worstRoundTrip / 1_000_000);
            assertTrue(maxHandshaking <= MAX_HANDSHAKING, "capped: " + maxHandshaking);
            assertTrue(refused >= SOCKETS - 3 * MAX_HANDSHAKING, "most are refused as they come: " + refused);
            assertTrue(timedOut >= MAX_HANDSHAKING, "the first ones are served until they time out: " + timedOut);
            assertEquals(refused, stats.get(Counter.CONNECTIONS_REFUSED), "each refusal counted");
            assertEquals(timedOut, stats.get(Counter.HANDSHAKES_TIMED_OUT), "each timeout counted");
            assertTrue(worstRoundTrip < TimeUnit.SECONDS.toNanos(1), "the session is served: " + worstRoundTrip);
            assertEquals(1, stats.sessionsOpen(), "the bystander is the only session");
        }
    }
}
