package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A decompression bomb: one compressed message of 1 MB on the wire that inflates to about a gigabyte, against the
 * echo server's limit of 64 MiB. It gets 1009, and a client on the same loop keeps getting its echoes meanwhile,
 * because the bomb is inflated a slice per loop turn ({@code MessageInflater.SLICE}, 256 KiB) rather than in one
 * go: the loop turns between slices, so the other client's round trips go on during the bomb (inflated in one
 * go, none could), and none of them waits much longer than a slice.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DecompressionBombTest {

    /** Generous: a slice of inflating costs well under a millisecond; before slices, one bomb cost 240 ms. */
    static final long MAX_BYSTANDER_ROUND_TRIP_MILLIS = 150;

    @Test
    void aBombGets1009WhileAnotherClientKeepsItsRoundTripsShort() throws Exception {
        byte[] bomb = deflatedZeros(1_000_000);
        try (WebSocketServer server = TestEchoServer.builder(0).daemon(true).build().start();
                JdkClient bystander = JdkClient.connect(server.port());
                RawClient attacker = new RawClient(server.port())) {
            attacker.write(RawClient.UPGRADE_REQUEST.replace("\r\n\r\n",
                    "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"));
            String head = attacker.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 ") && head.contains("permessage-deflate"), head);
            for (int i = 0; i < 50; i++) { // warm: the round trips measured below are the loop's, not the JIT's
                roundTrip(bystander, i);
            }
            long quiet = 0; // the same client's worst round trip without a bomb, for comparison
            for (int i = 0; i < 100; i++) {
                quiet = Math.max(quiet, roundTrip(bystander, i));
            }
            AtomicLong worst = new AtomicLong();
            AtomicLong rounds = new AtomicLong(); // completed while the bomb was being inflated
            AtomicLong bombSent = new AtomicLong(Long.MAX_VALUE);
            Thread pinger = new Thread(() -> {
                try {
                    for (long n = 0; !Thread.currentThread().isInterrupted(); n++) {
                        long sent = System.nanoTime();
                        long rtt = roundTrip(bystander, n);
                        if (sent - bombSent.get() > 0) {
                            worst.accumulateAndGet(rtt, Math::max);
                            rounds.incrementAndGet();
                        }
                    }
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }, "bystander");
            pinger.start();
            attacker.writeFrame(Opcode.BINARY.code(), true, 0b100, true, bomb); // RSV1: a compressed message
            long start = System.nanoTime(); // the server has all of it, or nearly: it is inflating from here
            bombSent.set(start);
            RawClient.Frame close = attacker.readFrame();
            long inflating = System.nanoTime() - start;
            pinger.interrupt();
            pinger.join();
            assertEquals(Opcode.CLOSE.code(), close.opcode());
            assertEquals(CloseCode.MESSAGE_TOO_BIG.value(), close.closeCode());
            long worstMillis = TimeUnit.NANOSECONDS.toMillis(worst.get());
            System.out.printf("bomb of %d bytes: 1009 after %d ms; bystander's worst round trip %d ms over %d"
                    + " round trips (%d ms without a bomb)%n", bomb.length, TimeUnit.NANOSECONDS.toMillis(inflating),
                    worstMillis, rounds.get(), TimeUnit.NANOSECONDS.toMillis(quiet));
            assertTrue(rounds.get() >= 5, "the loop turned between slices: " + rounds.get() + " round trips");
            // On a loaded machine everything stretches, so the bound is also relative: unsliced, the worst round
            // trip would be the whole inflation.
            long allowed = Math.max(MAX_BYSTANDER_ROUND_TRIP_MILLIS, TimeUnit.NANOSECONDS.toMillis(inflating) / 2);
            assertTrue(worstMillis < allowed, "the bystander's worst round trip during the bomb: " + worstMillis
                    + " ms, over " + allowed + " ms");
            Eventually.until(() -> server.stats().protocolErrors() == 1, "the violation is counted");
        }
    }

    private static long roundTrip(JdkClient client, long n) throws InterruptedException {
        long sent = System.nanoTime();
        client.send("round " + n);
        assertEquals("round " + n, client.nextText());
        return System.nanoTime() - sent;
    }

    /** About {@code bytes} of raw DEFLATE (RFC 7692: no zlib header, the final empty block's tail left off). */
    static byte[] deflatedZeros(int bytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[64 * 1024];
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        while (compressed.size() < bytes) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                compressed.write(out, 0, deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH));
            }
        }
        deflater.end();
        return compressed.toByteArray();
    }
}
