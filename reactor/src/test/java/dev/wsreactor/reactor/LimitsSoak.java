package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every attack of the limit tests, again and again for a few minutes, against one echo server in a child JVM under
 * a low limit of open files: silent sockets past the file limit, clients that never read, a decompression bomb.
 * After each round the server must be back where it started (one session, nothing handshaking, nothing queued, as
 * many files open as before, its memory no higher than after the first round plus a margin): a count that drifts
 * or a descriptor that leaks would show here before it showed in production. Not part of {@code make test}
 * (it takes minutes): {@code make soak} runs it.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LimitsSoak {

    private static final long SOAK_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("soak.seconds", 150));
    private static final int MAX_OPEN_FILES = 512;
    private static final long RSS_GROWTH_ALLOWED = 64L << 20;

    @Test
    void roundAfterRoundOfAttacksTheServerReturnsToWhereItStarted() throws Exception {
        byte[] bomb = DecompressionBombTest.deflatedZeros(1_000_000);
        try (ChildServer child = ChildServer.start(MAX_OPEN_FILES, "--slow-consumer-timeout", "1",
                "--handshake-timeout", "1", "--close-timeout", "1")) {
            JdkClient bystander = JdkClient.connect(child.port);
            long pid = child.process.pid();
            long filesAtStart = openFiles(pid);
            long rssAfterFirst = 0;
            int rounds = 0;
            long end = System.nanoTime() + SOAK_NANOS;
            while (rounds == 0 || System.nanoTime() - end < 0) {
                flood(child.port, 2 * MAX_OPEN_FILES);
                neverReading(child.port, 10);
                assertEquals(CloseCode.MESSAGE_TOO_BIG.value(), bombed(child.port, bomb));
                bystander.send("round " + rounds);
                assertEquals("round " + rounds, bystander.nextText(), "served throughout");
                awaitSettled(child);
                long files = openFiles(pid);
                long rss = SlowConsumerTest.residentBytes(pid);
                rssAfterFirst = rounds == 0 ? rss : rssAfterFirst;
                System.out.printf("round %d: %d files open (%d at start), RSS %d MiB%n", rounds, files, filesAtStart,
                        rss >> 20);
                assertTrue(files <= filesAtStart + 4, "no descriptor leaks: " + files + " vs " + filesAtStart);
                assertTrue(rss <= rssAfterFirst + RSS_GROWTH_ALLOWED, "memory does not creep: " + (rss >> 20)
                        + " MiB after " + (rssAfterFirst >> 20) + " MiB");
                rounds++;
            }
            assertTrue(child.process.isAlive(), "still running after " + rounds + " rounds: " + child.lines);
            bystander.close();
        }
    }

    /** Silent sockets, twice as many as the server may open files, held until the first is dropped. */
    private static void flood(int port, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                sockets.add(socket);
            }
            sockets.get(0).setSoTimeout(20_000);
            assertEquals(-1, sockets.get(0).getInputStream().read(), "dropped at the handshake timeout");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Clients that send without reading until the server closes them as slow consumers. */
    private static void neverReading(int port, int count) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                RawClient client = RawClient.open(port);
                clients.add(client);
                Thread writer = new Thread(() -> {
                    byte[] payload = new byte[64 * 1024];
                    try {
                        while (true) {
                            client.writeFrame(Opcode.BINARY, true, payload);
                        }
                    } catch (IOException closed) {
                        // closed by the server: the flood is over
                    }
                });
                writer.setDaemon(true);
                writer.start();
                writers.add(writer);
            }
            for (Thread writer : writers) {
                writer.join(TimeUnit.SECONDS.toMillis(30));
                assertTrue(!writer.isAlive(), "each never-reading client is closed");
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }

    /** Sends a compressed message that inflates past the limit; returns the close code it gets. */
    private static int bombed(int port, byte[] bomb) throws IOException {
        try (RawClient attacker = new RawClient(port)) {
            attacker.write(RawClient.UPGRADE_REQUEST.replace("\r\n\r\n",
                    "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"));
            attacker.readHead();
            attacker.writeFrame(Opcode.BINARY.code(), true, 0b100, true, bomb);
            return attacker.readFrame().closeCode();
        }
    }

    /** Waits until only the bystander is left: nothing handshaking, nothing queued, one connection open. */
    private static void awaitSettled(ChildServer child) {
        Eventually.until(() -> {
            try {
                Map<String, Long> stats = SlowConsumerTest.stats(child.port);
                // The /stats request itself is open and handshaking while it is answered.
                return stats.get("ConnectionsOpen") == 2 && stats.get("ConnectionsHandshaking") == 1
                        && stats.get("QueuedBytes") == 0;
            } catch (IOException e) {
                return false;
            }
        }, "the server settles back to its one session");
    }

    private static long openFiles(long pid) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return files.count();
        }
    }
}
