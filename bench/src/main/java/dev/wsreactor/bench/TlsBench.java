package dev.wsreactor.bench;

import dev.wsreactor.reactor.ServerStats;
import dev.wsreactor.reactor.Tls;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

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

    private TlsBench() {
    }

    /**
     * Runs the comparison; {@code --serve [keystore]} is instead the child server of {@code --only idle}.
     *
     * @param args the options above
     * @throws Exception if the certificate cannot be made or a measurement fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            IdleHeap.serve(args.length > 1 ? Path.of(args[1]) : null);
            return;
        }
        int connections = 100;
        int size = 32;
        int seconds = 10;
        int warmup = 3;
        int clientThreads = 4;
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
                case "--client-threads" -> clientThreads = Integer.parseInt(args[++i]);
                case "--idle-connections" -> idleConnections = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("tls-bench");
        Path keystore = SelfSignedCertificate.make(dir);
        SSLContext serverContext = Tls.fromPkcs12(keystore, SelfSignedCertificate.PASSWORD.toCharArray());
        SSLContext clientContext = SelfSignedCertificate.trusting(keystore);
        System.out.printf("%s %s, %d cores; %d connections, %d-byte text messages, %d s measured after %d s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), connections, size, seconds, warmup);
        if (only.equals("idle")) {
            IdleHeap.measure(idleConnections, keystore, clientContext);
            return;
        }
        try (WebSocketServer plain = EchoServer.builder("127.0.0.1", 0).daemon(true).build().start();
                WebSocketServer tls = EchoServer.builder("127.0.0.1", 0).daemon(true).tls(serverContext).build()
                        .start()) {
            BlockingClient ws = new BlockingClient(plain.port(), null, false);
            BlockingClient wss = new BlockingClient(tls.port(), clientContext, false);
            BlockingClient wssFull = new BlockingClient(tls.port(), clientContext, true);
            if (!only.equals("handshakes")) {
                // Warm both up once before measuring either, so neither gets a warmer JIT.
                echo("warm-up ws", ws, plain, connections, clientThreads, size, warmup, 0);
                echo("warm-up wss", wss, tls, connections, clientThreads, size, warmup, 0);
                echo("echo ws ", ws, plain, connections, clientThreads, size, warmup, seconds);
                echo("echo wss", wss, tls, connections, clientThreads, size, warmup, seconds);
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

    /**
     * {@code connections} connections, each with one message in flight, driven by a few client threads that each
     * write one message on every connection they own, then read every echo (fewer threads than connections keeps
     * the clients' context switches from dominating a small machine).
     */
    private static void echo(String label, BlockingClient client, WebSocketServer server, int connections,
            int clientThreads, int size, int warmup, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder echoes = new LongAdder();
        int threadCount = Math.min(connections, clientThreads);
        CountDownLatch ready = new CountDownLatch(threadCount);
        List<Thread> threads = new ArrayList<>();
        byte[] frame = BlockingClient.maskedText(size);
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
                        BlockingClient.upgrade(outs.get(i), ins.get(i));
                    }
                    ready.countDown();
                    while (!stop.get()) {
                        for (OutputStream out : outs) {
                            out.write(frame);
                            out.flush();
                        }
                        for (DataInputStream in : ins) {
                            BlockingClient.skipFrame(in);
                        }
                        echoes.add(owned);
                    }
                    for (int i = 0; i < owned; i++) {
                        outs.get(i).write(BlockingClient.CLOSE);
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
            ReactorWindow w = ReactorWindow.measure(server, echoes, seconds);
            System.out.printf("%-26s %,10.0f msgs/s   reactor thread %.2f us CPU per echo (%.0f%% of a core)%n",
                    label, w.rate(), w.cpuMicrosEach(), 100.0 * w.cpuNanos() / 1e9 / w.seconds());
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    private static void handshakes(String label, BlockingClient client, WebSocketServer server, int threadCount,
            int warmup, int seconds) throws Exception {
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
                        BlockingClient.upgrade(out, in);
                        out.write(BlockingClient.CLOSE_NORMAL);
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
        ReactorWindow w = ReactorWindow.measure(server, done, seconds);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        System.out.printf("%-26s %,10.0f conn/s   reactor thread %.0f us CPU per connection%s%n", label,
                w.rate(), w.cpuMicrosEach(),
                failed.sum() > 0 ? " (" + failed.sum() + " failed)" : "");
    }
}
