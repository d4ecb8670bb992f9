package dev.wsreactor.bench;

import dev.wsreactor.reactor.Session;
import dev.wsreactor.reactor.WebSocketClient;
import dev.wsreactor.reactor.WebSocketHandler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cross-node broadcast latency of the seat example's cluster: N viewers through nginx, half pinned to node a and
 * half to node b ({@code ?node=}); a booker on node a holds a seat and releases it, round after round, and each
 * round times, for every viewer, from the request to that viewer having the change. Node a's viewers get it from
 * their own node; node b's only after it has crossed Redis (the store's script, then the bus).
 *
 * <pre>
 * examples/seats/cluster/cluster.sh CLASSPATH --port 8080 &amp;      (or: make demo-cluster)
 * java -cp ... dev.wsreactor.bench.ClusterFanout [--url ws://127.0.0.1:8080/ws] [--viewers 1000] [--rounds 100]
 * </pre>
 */
public final class ClusterFanout {

    /** One round's expectations, swapped in before the request is sent. */
    private record Round(String needle, long startedAt, CountDownLatch seen, boolean measured) {
    }

    private static final int ROUNDS_PER_SECOND = 20;
    private static volatile Round round;

    /** A viewer: notes when the round's change reaches it, in its own histogram (its client thread's alone). */
    private static final class Viewer implements WebSocketHandler {
        final LatencyHistogram latencies = new LatencyHistogram();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** False for the booker, which sees its own change too but is not one of the viewers a round waits for. */
        final boolean viewing;
        Round counted;

        Viewer(boolean viewing) {
            this.viewing = viewing;
        }

        @Override
        public void onText(Session session, String text) {
            if (text.startsWith("{\"type\":\"snapshot\"")) {
                ready.complete(null);
                return;
            }
            Round now = round;
            if (viewing && now != null && counted != now && text.contains(now.needle())) {
                counted = now;
                if (now.measured()) {
                    latencies.record(System.nanoTime() - now.startedAt());
                }
                now.seen().countDown();
            }
        }
    }

    private ClusterFanout() {
    }

    public static void main(String[] args) throws Exception {
        String url = "ws://127.0.0.1:8080/ws";
        int viewers = 1000;
        int rounds = 100;
        int warmup = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--viewers" -> viewers = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Viewer> all = new ArrayList<>();
        try (WebSocketClient client = WebSocketClient.builder().daemon(true).build()) {
            for (int i = 0; i < viewers; i++) {
                Viewer viewer = new Viewer(true);
                client.connect(URI.create(url + "?node=" + (i % 2 == 0 ? "a" : "b")), viewer)
                        .get(20, TimeUnit.SECONDS);
                viewer.ready.get(20, TimeUnit.SECONDS);
                all.add(viewer);
            }
            Viewer bookerHandler = new Viewer(false);
            Session booker = client.connect(URI.create(url + "?node=a"), bookerHandler).get(20, TimeUnit.SECONDS);
            bookerHandler.ready.get(20, TimeUnit.SECONDS);
            long period = TimeUnit.SECONDS.toNanos(1) / ROUNDS_PER_SECOND;
            long nextAt = System.nanoTime();
            for (int r = 0; r < warmup + rounds; r++) {
                // A steady rate, under the example's 50 messages a second per connection.
                nextAt += period;
                LockSupport.parkNanos(nextAt - System.nanoTime());
                boolean hold = r % 2 == 0;
                String state = hold ? "held" : "free";
                Round next = new Round("\"seat\":\"J16\",\"state\":\"" + state + "\"", System.nanoTime(),
                        new CountDownLatch(viewers), r >= warmup);
                round = next;
                booker.sendText("{\"type\":\"" + (hold ? "hold" : "release") + "\",\"seat\":\"J16\"}");
                if (!next.seen().await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("round " + r + ": " + next.seen().getCount()
                            + " viewers never saw the change");
                }
            }
        }
        // Read after the client has closed: its threads are done writing the histograms.
        LatencyHistogram sameNode = new LatencyHistogram();
        LatencyHistogram crossNode = new LatencyHistogram();
        for (int i = 0; i < all.size(); i++) {
            (i % 2 == 0 ? sameNode : crossNode).add(all.get(i).latencies);
        }
        LatencyHistogram both = new LatencyHistogram();
        both.add(sameNode);
        both.add(crossNode);
        System.out.printf(Locale.ROOT, "%d viewers (half on node a, half on b), %d rounds, booker on node a%n",
                viewers, rounds);
        print("all viewers", both);
        print("node a (same node)", sameNode);
        print("node b (cross node)", crossNode);
    }

    private static void print(String what, LatencyHistogram h) {
        System.out.printf(Locale.ROOT, "%-20s deliveries %6d  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", what,
                h.count(), h.percentile(0.50) / 1000, h.percentile(0.99) / 1000, h.percentile(1.0) / 1000);
    }
}
