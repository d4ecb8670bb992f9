package dev.wsreactor.bench;

import dev.wsreactor.bench.micro.RecyclingPool;
import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.OutboundQueue;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The project's own load generator, on the protocol module's client role: many connections on one selector per
 * thread, each keeping {@code -D} messages in flight, every echo checked byte for byte and in order, latencies in
 * a histogram. It can offer permessage-deflate, which the C load generator cannot.
 *
 * <pre>
 * java -cp ... dev.wsreactor.bench.LoadGenerator echo|idle|connect|fanout [--host 127.0.0.1] [--port 9001]
 *     [--path /] [-c 100] [-t 1] [-s 32] [-D 1] [--binary] [--deflate] [--json-text] [-d 10] [-w 2] [--hold 10]
 *     [--trigger TEXT] [--expect TEXT] [--json]
 * </pre>
 *
 * <p>{@code fanout} is for push servers such as the seat example: {@code -c} viewers connect and stay; once all are
 * open, the first one sends {@code --trigger} (a request whose {@code %s} becomes "hold" and "release" in turn)
 * five times a second, and each round measures how long until every viewer received a message
 * containing {@code --expect}: the per-viewer delays go in the latency histogram, the rounds per second in the
 * rate.
 */
public final class LoadGenerator {

    /** What one run is asked to do. */
    record Options(String mode, String host, int port, String path, int connections, int threads, int size,
            int depth, boolean binary, boolean deflate, boolean jsonText, Duration duration, Duration warmup,
            Duration hold, boolean json, String trigger, String expect) {
    }

    /** What one thread measured. */
    static final class Tally {
        long messages;
        long bytesIn;
        long bytesOut;
        long handshakes;
        long handshakeFailures;
        long errors;
        long closedByServer;
        int open;
        final LatencyHistogram latency = new LatencyHistogram();
    }

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < options.threads(); t++) {
            int share = options.connections() / options.threads() + (t < options.connections() % options.threads() ? 1 : 0);
            workers.add(new Worker(options, share));
        }
        List<Thread> threads = new ArrayList<>();
        for (Worker worker : workers) {
            Thread thread = new Thread(worker, "load-" + threads.size());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Tally all = new Tally();
        for (Worker worker : workers) {
            Tally t = worker.tally;
            all.messages += t.messages;
            all.bytesIn += t.bytesIn;
            all.bytesOut += t.bytesOut;
            all.handshakes += t.handshakes;
            all.handshakeFailures += t.handshakeFailures;
            all.errors += t.errors;
            all.closedByServer += t.closedByServer;
            all.open += t.open;
            all.latency.add(t.latency);
        }
        report(options, all);
        System.exit(all.errors > 0 || all.handshakeFailures > 0 ? 1 : 0);
    }

    private static void report(Options o, Tally t) {
        double seconds = o.mode().equals("idle") ? o.hold().toMillis() / 1000.0 : o.duration().toMillis() / 1000.0;
        double rate = (o.mode().equals("connect") ? t.handshakes : t.messages) / seconds;
        if (o.mode().equals("fanout")) {
            System.out.printf(Locale.ROOT, "{\"mode\":\"fanout\",\"viewers\":%d,\"open_at_end\":%d,"
                    + "\"rounds\":%d,\"deliveries\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,"
                    + "\"errors\":%d}%n", o.connections(), t.open, t.messages, t.latency.count(),
                    t.latency.percentile(0.5), t.latency.percentile(0.99), t.latency.percentile(1.0), t.errors);
            return;
        }
        if (o.json()) {
            System.out.printf(Locale.ROOT, "{\"mode\":\"%s\",\"conns\":%d,\"size\":%d,\"depth\":%d,\"deflate\":%b,"
                    + "\"seconds\":%.2f,\"rate\":%.1f,\"mb_in_s\":%.2f,\"mb_out_s\":%.2f,\"p50_us\":%.1f,"
                    + "\"p99_us\":%.1f,\"p999_us\":%.1f,\"handshakes\":%d,\"handshake_failures\":%d,\"errors\":%d,"
                    + "\"closed_by_server\":%d,\"open_at_end\":%d}%n", o.mode(), o.connections(), o.size(),
                    o.depth(), o.deflate(), seconds, rate, t.bytesIn / seconds / 1e6, t.bytesOut / seconds / 1e6,
                    t.latency.percentile(0.5), t.latency.percentile(0.99), t.latency.percentile(0.999),
                    t.handshakes, t.handshakeFailures, t.errors, t.closedByServer, t.open);
            return;
        }
        System.out.printf(Locale.ROOT, "mode %s: %d connections, %d threads, %.2f s measured%n", o.mode(),
                o.connections(), o.threads(), seconds);
        System.out.printf(Locale.ROOT, "%s/s: %.0f   in %.2f MB/s   out %.2f MB/s%n",
                o.mode().equals("connect") ? "handshakes" : "messages", rate, t.bytesIn / seconds / 1e6,
                t.bytesOut / seconds / 1e6);
        System.out.printf(Locale.ROOT, "latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f%n",
                t.latency.percentile(0.5), t.latency.percentile(0.9), t.latency.percentile(0.99),
                t.latency.percentile(0.999));
        System.out.printf("handshakes ok %d, failed %d; errors %d; closed by server %d; open at end %d%n",
                t.handshakes, t.handshakeFailures, t.errors, t.closedByServer, t.open);
    }

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: LoadGenerator echo|idle|connect [options]");
        }
        String mode = args[0];
        String host = "127.0.0.1";
        int port = 9001;
        String path = "/";
        int connections = 100;
        int threads = 1;
        int size = 32;
        int depth = 1;
        boolean binary = false;
        boolean deflate = false;
        boolean jsonText = false;
        double duration = 10;
        double warmup = 2;
        double hold = 10;
        boolean json = false;
        String trigger = "{\"type\":\"%s\",\"seat\":\"A1\"}";
        String expect = "seat-changed";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--path" -> path = args[++i];
                case "-c" -> connections = Integer.parseInt(args[++i]);
                case "-t" -> threads = Integer.parseInt(args[++i]);
                case "-s" -> size = Integer.parseInt(args[++i]);
                case "-D" -> depth = Integer.parseInt(args[++i]);
                case "--binary" -> binary = true;
                case "--deflate" -> deflate = true;
                case "--json-text" -> jsonText = true;
                case "-d" -> duration = Double.parseDouble(args[++i]);
                case "-w" -> warmup = Double.parseDouble(args[++i]);
                case "--hold" -> hold = Double.parseDouble(args[++i]);
                case "--json" -> json = true;
                case "--trigger" -> trigger = args[++i];
                case "--expect" -> expect = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!host.startsWith("127.")) {
            throw new IllegalArgumentException("loopback targets only (127.0.0.0/8)");
        }
        return new Options(mode, host, port, path, connections, Math.max(1, threads), size, depth, binary, deflate,
                jsonText, Duration.ofMillis((long) (duration * 1000)), Duration.ofMillis((long) (warmup * 1000)),
                Duration.ofMillis((long) (hold * 1000)), json, trigger, expect);
    }

    /** One thread: one selector, its share of the connections. */
    static final class Worker implements Runnable {
        final Options options;
        final int count;
        final Tally tally = new Tally();
        final RecyclingPool pool = new RecyclingPool(16 * 1024);
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
        final SecureRandom keys = new SecureRandom();
        final ConnectionConfig config;
        final byte[] filler;
        Selector selector;
        final List<Client> all = new ArrayList<>();
        int openCount;
        // fanout: the round in progress, when it was triggered, and how many viewers have it.
        long round = -1;
        long roundStartedAt;
        int roundReached;
        long measureFrom;
        long measureUntil;
        long now;

        Worker(Options options, int count) {
            this.options = options;
            this.count = count;
            ConnectionConfig.Builder base = ConnectionConfig.builder().maxMessageSize(64L << 20)
                    .pingInterval(Duration.ZERO).pongTimeout(Duration.ofSeconds(30));
            // A client's compressor keeps its context (the usual browser offer); no threshold, every message.
            this.config = (options.deflate() ? base.deflate(new DeflateConfig(true, false, 6, 0)) : base).build();
            this.filler = makeFiller(options);
        }

        private static byte[] makeFiller(Options options) {
            byte[] bytes = new byte[Math.max(options.size(), 0)];
            if (options.jsonText()) {
                String json = "{\"seat\":\"C7\",\"row\":3,\"state\":\"sold\",\"price\":12.5,\"viewers\":118},";
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) json.charAt(i % json.length());
                }
            } else {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) ('a' + i % 26);
                }
            }
            return bytes;
        }

        @Override
        public void run() {
            try {
                selector = Selector.open();
                now = System.nanoTime();
                long start = now;
                boolean timed = !options.mode().equals("idle");
                measureFrom = start + options.warmup().toNanos();
                measureUntil = timed ? measureFrom + options.duration().toNanos() : start + options.hold().toNanos();
                List<Client> clients = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    clients.add(open());
                }
                all.addAll(clients);
                while (true) {
                    now = System.nanoTime();
                    if (now - measureUntil >= 0) {
                        break;
                    }
                    selector.select(key -> ((Client) key.attachment()).ready(key), 5);
                    if (options.mode().equals("fanout")) {
                        nextRound();
                    }
                }
                for (SelectionKey key : selector.keys()) {
                    Client client = (Client) key.attachment();
                    if (client.protocol.state() == ConnectionState.OPEN) {
                        tally.open++;
                    }
                    client.channel.close();
                }
                selector.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Client open() throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(options.host(), options.port()));
            Client client = new Client(this, channel);
            client.key = channel.register(selector, SelectionKey.OP_CONNECT, client);
            return client;
        }

        /** fanout: once every viewer is open and the last round is complete, the first viewer triggers the next. */
        void nextRound() {
            if (openCount < count || (round >= 0 && roundReached < openCount)) {
                return;
            }
            if (round >= 0 && now - roundStartedAt < 200_000_000L) {
                return; // five rounds a second: a seat map does not change faster for a viewer
            }
            round++;
            roundReached = 0;
            roundStartedAt = System.nanoTime();
            Client actor = all.get(0);
            actor.protocol.sendText(String.format(options.trigger(), round % 2 == 0 ? "hold" : "release"));
            try {
                actor.flushOut();
            } catch (IOException e) {
                tally.errors++;
            }
        }

        boolean measuring() {
            return now - measureFrom >= 0 && now - measureUntil < 0;
        }
    }

    /** One connection. */
    static final class Client implements ConnectionListener {
        final Worker worker;
        final SocketChannel channel;
        SelectionKey key;
        Connection protocol;
        final long[] sentAt;
        final long[] sentSeq;
        int inFlight;
        int head;
        long nextSeq;
        long connectStartedAt;
        boolean opened;

        Client(Worker worker, SocketChannel channel) {
            this.worker = worker;
            this.channel = channel;
            this.sentAt = new long[Math.max(1, worker.options.depth())];
            this.sentSeq = new long[sentAt.length];
            this.connectStartedAt = System.nanoTime();
        }

        void ready(SelectionKey k) {
            try {
                if (k.isConnectable()) {
                    channel.finishConnect();
                    Options o = worker.options;
                    ClientHandshake handshake = new ClientHandshake(o.host() + ":" + o.port(), o.path(), List.of(),
                            o.deflate() ? List.of("permessage-deflate; client_max_window_bits") : List.of(),
                            new HttpHeaders(), worker.keys);
                    protocol = Connection.client(worker.config, handshake, worker.random::nextInt, worker.pool, this,
                            worker.now);
                    key.interestOps(SelectionKey.OP_READ);
                    flush();
                    return;
                }
                if (k.isWritable()) {
                    flush();
                }
                if (k.isValid() && k.isReadable()) {
                    ByteBuffer buffer = worker.readBuffer;
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        gone();
                        return;
                    }
                    if (worker.measuring()) {
                        worker.tally.bytesIn += n;
                    }
                    protocol.receive(buffer.flip(), worker.now);
                    flush();
                    if (protocol.shouldCloseTransport()) {
                        gone();
                    }
                }
            } catch (IOException e) {
                worker.tally.errors++;
                gone();
            }
        }

        void flushOut() throws IOException {
            flush();
        }

        private void flush() throws IOException {
            OutboundQueue output = protocol.output();
            if (output.isEmpty()) {
                if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            long written = channel.write(output.readableBuffers(), 0, output.readableCount());
            output.afterWrite();
            if (worker.measuring()) {
                worker.tally.bytesOut += written;
            }
            key.interestOps(output.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }

        private void gone() {
            if (!opened) {
                worker.tally.handshakeFailures++;
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a socket we are done with
            }
            if (protocol != null && protocol.state() != ConnectionState.CLOSED) {
                protocol.transportClosed(worker.now);
            }
            if (worker.options.mode().equals("connect") && worker.now - worker.measureUntil < 0) {
                try {
                    worker.open(); // the slot starts again
                } catch (IOException e) {
                    worker.tally.errors++;
                }
            }
        }

        @Override
        public void onOpen() {
            opened = true;
            worker.openCount++;
            if (worker.measuring()) {
                worker.tally.handshakes++;
                if (worker.options.mode().equals("connect")) {
                    worker.tally.latency.record(System.nanoTime() - connectStartedAt);
                }
            }
            switch (worker.options.mode()) {
                case "connect" -> protocol.close(CloseCode.NORMAL_CLOSURE, "", worker.now);
                case "echo" -> {
                    for (int i = 0; i < worker.options.depth(); i++) {
                        send();
                    }
                }
                default -> {
                    // idle: just stay open
                }
            }
        }

        private void send() {
            long seq = nextSeq++;
            int slot = (head + inFlight) % sentAt.length;
            sentAt[slot] = System.nanoTime();
            sentSeq[slot] = seq;
            inFlight++;
            byte[] payload = worker.filler;
            stamp(payload, seq);
            if (worker.options.binary()) {
                protocol.sendBinary(ByteBuffer.wrap(payload));
            } else {
                protocol.sendText(new String(payload, StandardCharsets.ISO_8859_1));
            }
        }

        /** The sequence number in the first 8 bytes (hex digits for text), so the echo can be checked in order. */
        private static void stamp(byte[] payload, long seq) {
            for (int i = 0; i < Math.min(8, payload.length); i++) {
                payload[i] = (byte) "0123456789abcdef".charAt((int) (seq >>> (4 * (7 - i))) & 0xF);
            }
        }

        private void echoed(ByteBuffer data) {
            if (inFlight == 0) {
                worker.tally.errors++;
                return;
            }
            long expectedSeq = sentSeq[head];
            long latency = System.nanoTime() - sentAt[head];
            head = (head + 1) % sentAt.length;
            inFlight--;
            byte[] expected = worker.filler.clone();
            stamp(expected, expectedSeq);
            if (!data.equals(ByteBuffer.wrap(expected))) {
                worker.tally.errors++; // wrong bytes, or out of order
            }
            if (worker.measuring()) {
                worker.tally.messages++;
                worker.tally.latency.record(latency);
            }
            if (worker.now - worker.measureUntil < 0) {
                send();
            }
        }

        @Override
        public void onText(String text) {
            if (worker.options.mode().equals("fanout")) {
                if (worker.round >= 0 && text.contains(worker.options.expect())) {
                    worker.roundReached++;
                    worker.tally.latency.record(System.nanoTime() - worker.roundStartedAt);
                    if (worker.roundReached == worker.openCount) {
                        worker.tally.messages++; // a whole round
                    }
                }
                return;
            }
            echoed(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            echoed(data);
        }

        @Override
        public void onClose(CloseCode code, String reason) {
            if (!worker.options.mode().equals("connect")) {
                worker.tally.closedByServer++;
            }
        }
    }
}
