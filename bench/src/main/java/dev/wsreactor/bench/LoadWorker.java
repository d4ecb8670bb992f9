package dev.wsreactor.bench;

import dev.wsreactor.bench.micro.RecyclingPool;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.DeflateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One {@link LoadGenerator} thread: one selector, its share of the connections, what they have in common (the read
 * buffer, the pool, the payload) and, in {@code fanout}, the round in progress.
 */
final class LoadWorker implements Runnable {
    final LoadOptions options;
    final int count;
    final LoadTally tally = new LoadTally();
    final RecyclingPool pool = new RecyclingPool(16 * 1024);
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    final SecureRandom keys = new SecureRandom();
    final ConnectionConfig config;
    final byte[] filler;
    Selector selector;
    final List<LoadConnection> all = new ArrayList<>();
    int openCount;
    // fanout: the round in progress, when it was triggered, and how many viewers have it.
    long round = -1;
    long roundStartedAt;
    int roundReached;
    long measureFrom;
    long measureUntil;
    long now;

    LoadWorker(LoadOptions options, int count) {
        this.options = options;
        this.count = count;
        ConnectionConfig.Builder base = ConnectionConfig.builder().maxMessageSize(64L << 20)
                .pingInterval(Duration.ZERO).pongTimeout(Duration.ofSeconds(30));
        // A client's compressor keeps its context (the usual browser offer); no threshold, every message.
        this.config = (options.deflate() ? base.deflate(new DeflateConfig(true, false, 6, 0)) : base).build();
        this.filler = makeFiller(options);
    }

    private static byte[] makeFiller(LoadOptions options) {
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
            List<LoadConnection> clients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                clients.add(open());
            }
            all.addAll(clients);
            while (true) {
                now = System.nanoTime();
                if (now - measureUntil >= 0) {
                    break;
                }
                selector.select(key -> ((LoadConnection) key.attachment()).ready(key), 5);
                if (options.mode().equals("fanout")) {
                    nextRound();
                }
            }
            for (SelectionKey key : selector.keys()) {
                LoadConnection client = (LoadConnection) key.attachment();
                if (client.protocol.state() == ConnectionState.OPEN) {
                    tally.open++;
                }
                client.channel.close();
            }
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts one more connection; it registers itself for the connect. */
    LoadConnection open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(new InetSocketAddress(options.host(), options.port()));
        LoadConnection client = new LoadConnection(this, channel);
        client.key = channel.register(selector, SelectionKey.OP_CONNECT, client);
        return client;
    }

    /** fanout: once every viewer is open and the last round is complete, the first viewer triggers the next. */
    private void nextRound() {
        if (openCount < count || (round >= 0 && roundReached < openCount)) {
            return;
        }
        if (round >= 0 && now - roundStartedAt < 200_000_000L) {
            return; // five rounds a second: a seat map does not change faster for a viewer
        }
        round++;
        roundReached = 0;
        roundStartedAt = System.nanoTime();
        LoadConnection actor = all.get(0);
        actor.protocol.sendText(String.format(options.trigger(), round % 2 == 0 ? "hold" : "release"));
        try {
            actor.flush();
        } catch (IOException e) {
            tally.errors++;
        }
    }

    /** fanout: a viewer received {@code text}; if it is the round's change, the viewer has the round. */
    void viewerReceived(String text) {
        if (round >= 0 && text.contains(options.expect())) {
            roundReached++;
            tally.latency.record(System.nanoTime() - roundStartedAt);
            if (roundReached == openCount) {
                tally.messages++; // a whole round
            }
        }
    }

    boolean measuring() {
        return now - measureFrom >= 0 && now - measureUntil < 0;
    }
}
