package dev.wsreactor.bench;

import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.io.DataInputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes the reactor's thread allocates per plain handshake: accepting the socket, reading the upgrade
 * request, answering it with the 101, and the objects the open connection then keeps, counted by the JVM per
 * thread ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}). The connections are held open while
 * measured, so closing them does not count; what they keep is {@code make bench SCENARIOS=idle}'s live heap, and
 * the difference is the handshake's garbage.
 *
 * <pre>
 * java -cp 'bench/target/classes:bench/target/lib/*' dev.wsreactor.bench.HandshakeGarbage [--handshakes 2000]
 *     [--rounds 5]
 * </pre>
 */
public final class HandshakeGarbage {

    private HandshakeGarbage() {
    }

    /**
     * Runs the measurement: a warm-up round, then the measured rounds, each of {@code --handshakes} connections made
     * one after the other from a blocking client, held, then closed.
     *
     * @param args {@code --handshakes N} per round, {@code --rounds N} measured
     * @throws Exception if the server cannot start or a handshake fails
     */
    public static void main(String[] args) throws Exception {
        int handshakes = 2000;
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--handshakes" -> handshakes = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (WebSocketServer server = EchoServer.builder("127.0.0.1", 0).daemon(true).build().start()) {
            Thread reactor = reactorThread(server.port());
            BlockingClient client = new BlockingClient(server.port(), null, false);
            for (int round = 0; round <= rounds; round++) { // round 0 warms the JIT up and is not printed
                List<Socket> open = new ArrayList<>(handshakes);
                // The loop's last steps after a round's final 101 fall into this round or the next: a few bytes.
                long before = threads.getThreadAllocatedBytes(reactor.getId());
                for (int i = 0; i < handshakes; i++) {
                    Socket socket = client.open();
                    BlockingClient.upgrade(socket.getOutputStream(), new DataInputStream(socket.getInputStream()));
                    open.add(socket);
                }
                long after = threads.getThreadAllocatedBytes(reactor.getId());
                if (round > 0) {
                    System.out.printf("round %d: %,d handshakes, %,.0f bytes allocated on the reactor's thread each%n",
                            round, handshakes, (after - before) / (double) handshakes);
                }
                for (Socket socket : open) {
                    socket.close();
                }
                awaitClosed(server);
            }
        }
    }

    /** The reactor's thread, named after the port it serves (one reactor: no index). */
    private static Thread reactorThread(int port) {
        String name = "wsreactor-" + port;
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no thread named " + name));
    }

    /** Until the server has closed every connection of the round, within a deadline. */
    private static void awaitClosed(WebSocketServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.stats().connectionsOpen() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("connections still open after 30 s");
            }
            Thread.sleep(10); // polling another thread's count: nothing to wait on instead
        }
    }
}
