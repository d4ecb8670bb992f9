package dev.wsreactor.bench;

import dev.wsreactor.reactor.Tls;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@code TlsBench --only idle}: the server's heap per idle connection, ws against wss. The server runs in a child
 * JVM ({@code TlsBench --serve [keystore]}), so the clients' objects do not count.
 */
final class IdleHeap {

    private IdleHeap() {
    }

    /** The server's heap after a full GC with one connection made and closed, then with {@code n} open and idle. */
    static void measure(int n, Path keystore, SSLContext clientContext) throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                    System.getProperty("java.class.path"), TlsBench.class.getName(), "--serve"));
            if (tls) {
                command.add(keystore.toString());
            }
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader from = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                    PrintStream to = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
                int port = Integer.parseInt(from.readLine().replace("port ", ""));
                BlockingClient client = new BlockingClient(port, tls ? clientContext : null, false);
                try (Socket first = client.open()) {
                    BlockingClient.upgrade(first.getOutputStream(), new DataInputStream(first.getInputStream()));
                }
                to.println("gc");
                long before = Long.parseLong(from.readLine());
                List<Socket> open = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Socket socket = client.open();
                    BlockingClient.upgrade(socket.getOutputStream(), new DataInputStream(socket.getInputStream()));
                    open.add(socket);
                }
                to.println("gc");
                long after = Long.parseLong(from.readLine());
                System.out.printf("idle %-4s %,d connections: %,.0f bytes of server heap each%n",
                        tls ? "wss" : "ws", n, (after - before) / (double) n);
                for (Socket socket : open) {
                    socket.close();
                }
                to.println("quit");
            } finally {
                child.waitFor(30, TimeUnit.SECONDS);
                child.destroy();
            }
        }
    }

    /** The child side of {@link #measure}: an echo server that reports its heap after a GC when asked. */
    static void serve(Path keystore) throws IOException {
        WebSocketServer.Builder builder = EchoServer.builder("127.0.0.1", 0).daemon(true);
        if (keystore != null) {
            builder.tls(Tls.fromPkcs12(keystore, SelfSignedCertificate.PASSWORD.toCharArray()));
        }
        try (WebSocketServer server = builder.build().start()) {
            System.out.println("port " + server.port());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                server.stats(); // nothing pending in the loop: the command came after the last connection's 101
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                System.out.println(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        }
    }
}
