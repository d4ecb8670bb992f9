package dev.wsreactor.bench;

import dev.wsreactor.bench.peers.NettyTlsEcho;
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
 *     [--only echo|handshakes|idle] [--idle-connections 2000] [--rounds 1] [--netty]
 * </pre>
 *
 * {@code --netty} adds tuned Netty to the echo comparison, over plain TCP and over TLS on the JDK's engine
 * ({@link NettyTlsEcho}), with the same clients and certificate; {@code --rounds} repeats the measurements, every
 * server once per round, and gives the medians of the rates and of each round's ratios.
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
        int rounds = 1;
        boolean netty = false;
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
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--netty" -> netty = true;
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
                List<EchoLoad.Target[]> pairs = new ArrayList<>();
                pairs.add(new EchoLoad.Target[] {new EchoLoad.Target("wsreactor ws", ws, loopThread(plain)),
                        new EchoLoad.Target("wsreactor wss", wss, loopThread(tls))});
                if (netty) {
                    pairs.add(nettyPair(keystore, clientContext));
                }
                EchoRounds.compare(pairs, rounds, connections, clientThreads, size, warmup, seconds);
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

    /** The name of a server's reactor thread, whose CPU time is the server's cost. */
    private static String loopThread(WebSocketServer server) {
        return "wsreactor-" + server.port();
    }

    /** Tuned Netty over plain TCP and over TLS on the JDK's engine, with the same certificate; they run until exit. */
    private static EchoLoad.Target[] nettyPair(Path keystore, SSLContext clientContext) throws Exception {
        NettyTlsEcho plain = NettyTlsEcho.start(0, null, "netty-ws");
        NettyTlsEcho tls = NettyTlsEcho.start(0,
                NettyTlsEcho.jdkContext(keystore, SelfSignedCertificate.PASSWORD.toCharArray()), "netty-wss");
        return new EchoLoad.Target[] {
            new EchoLoad.Target("netty ws", new BlockingClient(plain.port(), null, false), "netty-ws"),
            new EchoLoad.Target("netty wss", new BlockingClient(tls.port(), clientContext, false), "netty-wss")};
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
