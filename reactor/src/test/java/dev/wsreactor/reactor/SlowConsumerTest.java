package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Twenty clients that send as fast as they can and never read, against the echo server in a child JVM (so its
 * memory is its own): each is closed with 1008 within the slow-consumer timeout and a margin, the server's output
 * never passes its budget (read from its own figures, on {@code /stats}), and its resident memory stays bounded.
 * The budget is set below what twenty queues at the high-water mark hold, so some are closed for the budget (the
 * largest first) and the rest when their timeout runs out.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowConsumerTest {

    private static final int CLIENTS = 20;
    private static final long TIMEOUT_MILLIS = 2_000;
    private static final long MARGIN_MILLIS = 6_000;
    private static final long BUDGET = 8L << 20;
    /** Generous: the JVM itself (a 256 MiB heap at most) and the budget; twenty 16 MiB queues would pass it. */
    static final long MAX_RSS_BYTES = 450L << 20;

    @Test
    void neverReadingClientsAreClosedWith1008AndTheServerStaysWithinItsBudget() throws Exception {
        try (ChildServer child = ChildServer.start(4096, "--slow-consumer-timeout", "2", "--close-timeout", "30",
                "--max-queued-bytes-total", Long.toString(BUDGET))) {
            JdkClient bystander = JdkClient.connect(child.port);
            List<RawClient> clients = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                RawClient client = RawClient.open(child.port);
                clients.add(client);
                writers.add(flood(client));
            }
            long start = System.nanoTime();
            writers.forEach(Thread::start);
            long maxQueued = 0;
            long maxRss = 0;
            long closed = 0;
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS + MARGIN_MILLIS);
            while (closed < CLIENTS && System.nanoTime() - deadline < 0) {
                Map<String, Long> stats = stats(child.port);
                closed = stats.get("SlowConsumersClosed");
                maxQueued = Math.max(maxQueued, stats.get("QueuedBytes"));
                maxRss = Math.max(maxRss, residentBytes(child.process.pid()));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("%d slow consumers closed in %d ms; at most %d bytes queued; peak RSS %d MiB%n",
                    closed, elapsedMillis, maxQueued, maxRss >> 20);
            assertEquals(CLIENTS, closed, "every never-reading client closed within " + (TIMEOUT_MILLIS
                    + MARGIN_MILLIS) + " ms: " + child.lines);
            assertTrue(maxQueued <= BUDGET, "the server's output stayed within its budget: " + maxQueued);
            assertTrue(maxQueued > 0, "the figure was read while the clients flooded");
            assertTrue(maxRss < MAX_RSS_BYTES, "resident memory bounded: " + (maxRss >> 20) + " MiB");
            writers.forEach(Thread::interrupt);
            for (RawClient client : clients) {
                assertEquals(CloseCode.POLICY_VIOLATION.value(), closeCodeBehindTheData(client));
                client.close();
            }
            assertTrue(child.lines.stream().anyMatch(line -> line.contains("above the high-water mark for 2000 ms")),
                    "some closed by their timeout: " + child.lines);
            assertTrue(child.lines.stream().anyMatch(line -> line.contains("among the largest queues")),
                    "some closed for the budget: " + child.lines);
            bystander.send("still served");
            assertEquals("still served", bystander.nextText());
            bystander.close();
        }
    }

    /** A thread that sends 64 KiB messages as fast as the socket takes them, until it fails or is stopped. */
    private static Thread flood(RawClient client) {
        Thread writer = new Thread(() -> {
            byte[] payload = new byte[64 * 1024];
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    client.writeFrame(Opcode.BINARY, true, payload);
                }
            } catch (IOException closed) {
                // The server closed the connection: the flood is over.
            }
        }, "never-reading-client");
        writer.setDaemon(true);
        return writer;
    }

    /** Reads what the server sent (our echoes, whole frames) until its Close, and returns the Close's code. */
    private static int closeCodeBehindTheData(RawClient client) throws IOException {
        while (true) {
            RawClient.Frame frame = client.readFrame();
            if (frame.opcode() == Opcode.CLOSE.code()) {
                return frame.closeCode();
            }
            assertEquals(Opcode.BINARY.code(), frame.opcode(), "only whole echoes before the Close");
            assertEquals(64 * 1024, frame.payload().length, "no echo cut short");
        }
    }

    /** The echo server's counters, from its {@code /stats} page. */
    static Map<String, Long> stats(int port) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.write("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String response = client.readUntilClosed();
            Map<String, Long> figures = new HashMap<>();
            for (String line : response.substring(response.indexOf("\r\n\r\n") + 4).split("\n")) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[1].matches("-?\\d+")) {
                    figures.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            return figures;
        }
    }

    /** The process's resident set (VmRSS), in bytes; 0 where /proc does not tell. */
    static long residentBytes(long pid) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }
}
