package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The echo server under a low limit of open files, flooded with silent sockets past that limit: it stays up, an
 * open connection keeps being served, it accepts again once the flood ends, and it says so in a few log lines, not
 * one per failed accept. (Before, the first failed accept's log line failed too and ended the whole process.)
 *
 * <p>With the default caps the flood never reaches the file limit: past half of it, sockets still handshaking are
 * refused as they come ({@code maxHandshaking}). With the cap lifted, accepting itself fails (EMFILE) and backs off.
 */
class FileDescriptorExhaustionTest {

    private static final int MAX_OPEN_FILES = 256;
    private static final int FLOOD = 600;

    @Test
    void withTheDefaultCapsAFloodIsRefusedBeforeTheFileLimit() throws Exception {
        survivesAFlood("at maxHandshaking (maxConnections 100000, maxHandshaking 128)", flood -> { // half of 256 files
            // The last of the flood came when half the files were taken by sockets still handshaking.
            Socket refused = flood.get(flood.size() - 1);
            refused.setSoTimeout(10_000);
            String head = new String(refused.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 503", head, "refused before any handshake work, with a canned 503");
        });
    }

    @Test
    void withoutTheHandshakeCapAFloodPastTheFileLimitNeitherKillsTheServerNorStopsItsConnections()
            throws Exception {
        survivesAFlood("accept failed", flood -> {
            // Handshakes time out while no file is left: the first path taken under exhaustion works as well.
            Socket first = flood.get(0);
            first.setSoTimeout(10_000);
            assertEquals(-1, first.getInputStream().read(), "dropped at the handshake timeout");
        }, "--max-handshaking", "100000", "--handshake-timeout", "1");
    }

    /** What a test checks while the flood holds its sockets open. */
    private interface WhileFlooded {
        void check(List<Socket> flood) throws IOException;
    }

    private static void survivesAFlood(String logged, WhileFlooded whileFlooded, String... options)
            throws Exception {
        try (ChildServer child = ChildServer.start(MAX_OPEN_FILES, options)) {
            JdkClient bystander = JdkClient.connect(child.port);
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    try {
                        flood.add(silentSocket(child.port));
                    } catch (IOException e) {
                        throw new AssertionError("connection " + i + " of the flood was refused; alive: "
                                + child.process.isAlive() + ", output: " + child.lines, e);
                    }
                }
                whileFlooded.check(flood);
                for (int i = 0; i < 20; i++) {
                    bystander.send("still here " + i);
                    assertEquals("still here " + i, bystander.nextText(), "the open connection is still served");
                }
                assertTrue(child.process.isAlive(), "the server is still running: " + child.lines);
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
            JdkClient newcomer = connectWithin(child, 30_000);
            newcomer.send("after the flood");
            assertEquals("after the flood", newcomer.nextText());
            bystander.send("and the old one");
            assertEquals("and the old one", bystander.nextText());
            assertTrue(child.process.isAlive(), "the server is still running: " + child.lines);
            assertTrue(child.lines.stream().anyMatch(line -> line.contains(logged)), "the exhaustion is logged ("
                    + logged + "): " + child.lines);
            assertTrue(child.lines.size() < 40, "a bounded number of log lines, got " + child.lines.size() + ": "
                    + child.lines);
            newcomer.close();
            bystander.close();
        }
    }

    /** A TCP connection that never sends a byte; the kernel completes it even while the server cannot accept. */
    private static Socket silentSocket(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** The server may still be backing off its accepts when the flood ends: retry until the deadline. */
    private static JdkClient connectWithin(ChildServer child, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try {
                return JdkClient.connect(child.port);
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("no new connection accepted after the flood: " + child.lines, e);
                }
            }
        }
    }
}
