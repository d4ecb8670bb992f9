package dev.wsreactor.bench;

import dev.wsreactor.reactor.ServerStats;
import dev.wsreactor.reactor.Tls;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code ws://} against {@code wss://} on the same machine, in the same run: echo messages per second and opening
 * handshakes per second, with the reactor thread's CPU time per message and per handshake.
 *
 * <p>Both servers are the echo server, in this process, each on its one reactor thread. The clients are the same
 * blocking code (a few threads, each driving its share of the connections, one message in flight on each) over a
 * plain {@link Socket} or an
 * {@link SSLSocket}, so the difference is TLS alone; the clients share the machine's cores with the server, so the
 * figures compare, they do not measure the server's ceiling (for plain TCP, the C load generator does that).
 *
 * <pre>
 * java -cp protocol/target/classes:reactor/target/classes:bench/target/classes dev.wsreactor.bench.TlsBench
 *     [--connections 100] [--size 32] [--seconds 10] [--warmup 3] [--client-threads 4] [--handshake-threads 4]
 *     [--only echo|handshakes|idle] [--idle-connections 2000]
 * </pre>
 *
 * The certificate is a self-signed EC P-256 one made with the JDK's keytool in a temporary directory.
 * {@code --only idle} instead measures the server's heap per idle connection, ws against wss, with the server in a
 * child JVM.
 */
public final class TlsBench {

    private static final String PASSWORD = "bench-password";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static int CLIENT_THREADS = 4;

    private TlsBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            serve(args.length > 1 ? Path.of(args[1]) : null);
            return;
        }
        int connections = 100;
        int size = 32;
        int seconds = 10;
        int warmup = 3;
        int handshakeThreads = 4;
        int idleConnections = 2000;
        String only = "all";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--handshake-threads" -> handshakeThreads = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i]; // echo, handshakes or idle
                case "--client-threads" -> CLIENT_THREADS = Integer.parseInt(args[++i]);
                case "--idle-connections" -> idleConnections = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("tls-bench");
        Path keystore = selfSigned(dir);
        SSLContext serverContext = Tls.fromPkcs12(keystore, PASSWORD.toCharArray());
        SSLContext clientContext = trusting(keystore);
        System.out.printf("%s %s, %d cores; %d connections, %d-byte text messages, %d s measured after %d s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), connections, size, seconds, warmup);
        if (only.equals("idle")) {
            idle(idleConnections, keystore, clientContext);
            return;
        }
        try (WebSocketServer plain = EchoServer.builder("127.0.0.1", 0).daemon(true).build().start();
                WebSocketServer tls = EchoServer.builder("127.0.0.1", 0).daemon(true).tls(serverContext).build()
                        .start()) {
            Client ws = new Client(plain.port(), null, false);
            Client wss = new Client(tls.port(), clientContext, false);
            Client wssFull = new Client(tls.port(), clientContext, true);
            if (!only.equals("handshakes")) {
                // Warm both up once before measuring either, so neither gets a warmer JIT.
                echo("warm-up ws", ws, plain, connections, size, warmup, 0);
                echo("warm-up wss", wss, tls, connections, size, warmup, 0);
                echo("echo ws ", ws, plain, connections, size, warmup, seconds);
                echo("echo wss", wss, tls, connections, size, warmup, seconds);
            }
            if (!only.equals("echo")) {
                handshakes("handshakes ws ", ws, plain, handshakeThreads, warmup, seconds);
                handshakes("handshakes wss (full)", wssFull, tls, handshakeThreads, warmup, seconds);
                handshakes("handshakes wss (resumed)", wss, tls, handshakeThreads, warmup, seconds);
            }
            ServerStats stats = tls.stats();
            System.out.printf("TLS delegated tasks (inline on the reactor): %.0f us CPU per handshake over %d"
                    + " handshakes; %d TLS failures%n", stats.tlsTaskNanos() / 1e3 / Math.max(1, stats.tlsHandshakes()),
                    stats.tlsHandshakes(), stats.tlsFailures());
        }
    }

    /** How clients reach one server: plain TCP, or TLS with full handshakes (no resumption) or resumed ones. */
    record Client(int port, SSLContext tls, boolean noResumption) {

        Socket open() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            if (tls == null) {
                return socket;
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", port, true);
            secure.startHandshake();
            if (noResumption) {
                secure.getSession().invalidate(); // the next connection cannot resume this session
            }
            return secure;
        }
    }

    /**
     * {@code connections} connections, each with one message in flight, driven by a few client threads that each
     * write one message on every connection they own, then read every echo (fewer threads than connections keeps
     * the clients' context switches from dominating a small machine).
     */
    private static void echo(String label, Client client, WebSocketServer server, int connections, int size,
            int warmup, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder echoes = new LongAdder();
        int threadCount = Math.min(connections, CLIENT_THREADS);
        CountDownLatch ready = new CountDownLatch(threadCount);
        List<Thread> threads = new ArrayList<>();
        byte[] frame = maskedText(size);
        for (int t = 0; t < threadCount; t++) {
            int owned = connections / threadCount + (t < connections % threadCount ? 1 : 0);
            Thread thread = new Thread(() -> {
                List<Socket> sockets = new ArrayList<>();
                try {
                    List<OutputStream> outs = new ArrayList<>();
                    List<DataInputStream> ins = new ArrayList<>();
                    for (int i = 0; i < owned; i++) {
                        Socket socket = client.open();
                        sockets.add(socket);
                        outs.add(socket.getOutputStream());
                        ins.add(new DataInputStream(new BufferedInputStream(socket.getInputStream())));
                        upgrade(outs.get(i), ins.get(i));
                    }
                    ready.countDown();
                    while (!stop.get()) {
                        for (OutputStream out : outs) {
                            out.write(frame);
                            out.flush();
                        }
                        for (DataInputStream in : ins) {
                            skipFrame(in);
                        }
                        echoes.add(owned);
                    }
                    for (int i = 0; i < owned; i++) {
                        outs.get(i).write(new byte[] {(byte) 0x88, (byte) 0x80, 1, 2, 3, 4}); // Close, masked
                        outs.get(i).flush();
                        ins.get(i).readAllBytes(); // the server's Close, then its FIN
                    }
                } catch (IOException e) {
                    System.err.println(label + ": " + e);
                    ready.countDown();
                } finally {
                    for (Socket socket : sockets) {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // Done with it.
                        }
                    }
                }
            }, "bench-client-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await(60, TimeUnit.SECONDS);
        Thread.sleep(warmup * 1000L); // a benchmark's warm-up: time is what is measured here
        if (seconds > 0) {
            Window w = Window.measure(server, echoes, seconds);
            System.out.printf("%-26s %,10.0f msgs/s   reactor thread %.2f us CPU per echo (%.0f%% of a core)%n",
                    label, w.rate(), w.cpuMicrosEach(), 100.0 * w.cpuNanos() / 1e9 / w.seconds());
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    private static void handshakes(String label, Client client, WebSocketServer server, int threadCount, int warmup,
            int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    try (Socket socket = client.open()) {
                        OutputStream out = socket.getOutputStream();
                        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                        upgrade(out, in);
                        out.write(new byte[] {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, 0x03 ^ 1, (byte) (0xE8 ^ 2)});
                        out.flush();
                        in.readAllBytes(); // 1000 back, then the server's FIN (the server closes first)
                        done.increment();
                    } catch (IOException e) {
                        failed.increment();
                    }
                }
            }, "bench-handshake-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(warmup * 1000L);
        Window w = Window.measure(server, done, seconds);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        System.out.printf("%-26s %,10.0f conn/s   reactor thread %.0f us CPU per connection%s%n", label,
                w.rate(), w.cpuMicrosEach(),
                failed.sum() > 0 ? " (" + failed.sum() + " failed)" : "");
    }

    private static void upgrade(OutputStream out, DataInputStream in) throws IOException {
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static byte[] maskedText(int size) {
        int header = size < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + size];
        frame[0] = (byte) 0x81;
        if (size < 126) {
            frame[1] = (byte) (0x80 | size);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (size >> 8);
            frame[3] = (byte) size;
        }
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        System.arraycopy(key, 0, frame, header, 4);
        for (int i = 0; i < size; i++) {
            frame[header + 4 + i] = (byte) ('a' ^ key[i & 3]);
        }
        return frame;
    }

    private static void skipFrame(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        long n = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        in.skipNBytes(n);
    }

    /**
     * The server's heap per idle connection, ws against wss: a server in a child JVM (so the clients' objects do not
     * count), its heap after a full GC with one connection made and closed, then with {@code n} open and idle.
     */
    private static void idle(int n, Path keystore, SSLContext clientContext) throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                    System.getProperty("java.class.path"), TlsBench.class.getName(), "--serve"));
            if (tls) {
                command.add(keystore.toString());
            }
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (java.io.BufferedReader from = new java.io.BufferedReader(
                    new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                    java.io.PrintStream to = new java.io.PrintStream(child.getOutputStream(), true,
                            StandardCharsets.UTF_8)) {
                int port = Integer.parseInt(from.readLine().replace("port ", ""));
                Client client = new Client(port, tls ? clientContext : null, false);
                try (Socket first = client.open()) {
                    upgrade(first.getOutputStream(), new DataInputStream(first.getInputStream()));
                }
                to.println("gc");
                long before = Long.parseLong(from.readLine());
                List<Socket> open = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Socket socket = client.open();
                    upgrade(socket.getOutputStream(), new DataInputStream(socket.getInputStream()));
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

    /** The child side of {@link #idle}: an echo server that reports its heap after a GC when asked. */
    private static void serve(Path keystore) throws IOException {
        WebSocketServer.Builder builder = EchoServer.builder("127.0.0.1", 0).daemon(true);
        if (keystore != null) {
            builder.tls(Tls.fromPkcs12(keystore, PASSWORD.toCharArray()));
        }
        try (WebSocketServer server = builder.build().start()) {
            System.out.println("port " + server.port());
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                server.stats(); // nothing pending in the loop: the command came after the last connection's 101
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                System.out.println(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        }
    }

    /** What a counter did over a measuring window, and the reactor thread's CPU time meanwhile. */
    private record Window(long count, double seconds, long cpuNanos) {

        static Window measure(WebSocketServer server, LongAdder counter, int seconds) throws InterruptedException {
            long reactorCpu = reactorCpuNanos(server);
            long before = counter.sum();
            long start = System.nanoTime();
            Thread.sleep(seconds * 1000L); // a benchmark's window: time is what is measured here
            long count = counter.sum() - before;
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Window(count, elapsed, reactorCpuNanos(server) - reactorCpu);
        }

        double rate() {
            return count / seconds;
        }

        double cpuMicrosEach() {
            return cpuNanos / 1e3 / Math.max(1, count);
        }
    }

    /** CPU time of the server's reactor thread, found by its name. */
    private static long reactorCpuNanos(WebSocketServer server) {
        String name = "wsreactor-" + server.port();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return THREADS.getThreadCpuTime(thread.getId());
            }
        }
        return 0;
    }

    private static Path selfSigned(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("bench.p12");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        return keystore;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("bench", keys.getCertificate("bench"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
