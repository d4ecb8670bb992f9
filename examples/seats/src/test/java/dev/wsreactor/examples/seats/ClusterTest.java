package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wsreactor.examples.seats.SeatsClient.Message;
import dev.wsreactor.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two seat nodes in one JVM sharing a real redis-server (seats in it, changes over {@code RedisBus}): a race for
 * one seat from clients on both nodes, changes crossing from node to node, one expiry for a hold both nodes time,
 * Redis killed and restarted, a node restarted. Every wait is on a message or a polled condition with a deadline.
 */
class ClusterTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private RedisProcess redis;
    private final List<SeatsServer> nodes = new ArrayList<>();
    private final List<SeatsClient> clients = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.startOrSkip(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        clients.forEach(SeatsClient::close);
        nodes.forEach(SeatsServer::close);
        if (redis != null) {
            redis.close();
        }
    }

    private SeatsServer node(String name, Duration hold) throws Exception {
        SeatsServer node = SeatsServer.start(SeatsServer.Options.defaults().withAddress("127.0.0.1", 0)
                .withHold(hold).withCluster(name, redis.uri()));
        nodes.add(node);
        awaitStats(node, stats -> "UP".equals(stats.get("store-link")));
        return node;
    }

    private SeatsClient client(SeatsServer node) throws InterruptedException {
        SeatsClient client = SeatsClient.connect(node.port());
        clients.add(client);
        return client;
    }

    private static Map<?, ?> stats(SeatsServer node) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(node.node(), response.headers().firstValue("X-Seats-Node").orElse(null));
        return JSON.readValue(response.body(), Map.class);
    }

    /** Polls the node's /stats (an outside view: there is no event to wait on) until it matches, for 15 s. */
    private static Map<?, ?> awaitStats(SeatsServer node, Predicate<Map<?, ?>> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Map<?, ?> stats = stats(node);
            if (match.test(stats)) {
                return stats;
            }
            assertTrue(System.nanoTime() < deadline, "node " + node.node() + " stayed at " + stats);
            TimeUnit.MILLISECONDS.sleep(50); // polling an HTTP endpoint, bounded by the deadline
        }
    }

    private static Message seatChanged(SeatsClient client, String seat, String state) throws InterruptedException {
        return client.await(m -> m.isSeat("seat-changed", seat) && state.equals(m.str("state")));
    }

    @Test
    void clientsOnBothNodesRaceForOneSeatAndExactlyOneWins() throws Exception {
        SeatsServer a = node("a", Duration.ofSeconds(60));
        SeatsServer b = node("b", Duration.ofSeconds(60));
        List<SeatsClient> racers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            racers.add(client(a));
            racers.add(client(b));
        }
        assertEquals("a", racers.get(0).snapshot.get("node"));
        assertEquals("b", racers.get(1).snapshot.get("node"));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            List<Future<Message>> outcomes = new ArrayList<>();
            for (SeatsClient racer : racers) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    racer.request("hold", "C7");
                    return racer.await(m -> m.isSeat("error", "C7")
                            || m.isSeat("seat-changed", "C7") && racer.id.equals(m.str("owner")));
                }));
            }
            go.countDown();
            List<SeatsClient> winners = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                if (outcomes.get(i).get(20, TimeUnit.SECONDS).is("seat-changed")) {
                    winners.add(racers.get(i));
                }
            }
            assertEquals(1, winners.size(), "exactly one of ten clients on two nodes holds C7");
            SeatsClient winner = winners.get(0);
            winner.request("confirm", "C7");
            for (SeatsClient racer : racers) {
                Message sold = seatChanged(racer, "C7", "sold");
                assertEquals(winner.id, sold.str("owner"), "every client on either node sees the same buyer");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aChangeOnOneNodeReachesTheOthersPagesAndAHoldExpiresOnce() throws Exception {
        SeatsServer a = node("a", Duration.ofMillis(600));
        SeatsServer b = node("b", Duration.ofMillis(600));
        SeatsClient onA = client(a);
        SeatsClient onB = client(b);
        onA.request("hold", "E5");
        assertEquals(onA.id, seatChanged(onB, "E5", "held").str("owner"));
        onB.request("hold", "E5");
        assertEquals("seat E5 is held by someone else", onB.await(m -> m.is("error")).str("message"));
        // Both nodes time the hold; the store lets one expiry through, and both nodes' pages see it once.
        for (SeatsClient client : List.of(onA, onB)) {
            assertEquals("expired", seatChanged(client, "E5", "free").str("cause"));
        }
        onB.request("hold", "E5");
        assertEquals(onB.id, seatChanged(onA, "E5", "held").str("owner"), "free again, for anyone");
        assertTrue(onA.drain().stream().noneMatch(m -> m.isSeat("seat-changed", "E5") && "expired".equals(
                m.str("cause"))), "one expiry, not one per node");
    }

    @Test
    void redisKilledAndRestartedNodesReconnectAndNothingIsSoldTwice() throws Exception {
        SeatsServer a = node("a", Duration.ofSeconds(60));
        SeatsServer b = node("b", Duration.ofSeconds(60));
        SeatsClient onA = client(a);
        SeatsClient onB = client(b);
        onA.request("hold", "D1");
        seatChanged(onA, "D1", "held");
        onA.request("confirm", "D1");
        seatChanged(onB, "D1", "sold");

        redis.stop();
        awaitStats(a, stats -> "STORE_DOWN".equals(stats.get("store-link")));
        onB.request("hold", "D2");
        assertTrue(onB.await(m -> m.isSeat("error", "D2")).str("message").startsWith("bookings are paused"),
                "no booking while the store is away");
        long rebuildsA = ((Number) stats(a).get("rebuilds")).longValue();
        long rebuildsB = ((Number) stats(b).get("rebuilds")).longValue();

        redis.start();
        awaitStats(a, stats -> "UP".equals(stats.get("store-link"))
                && ((Number) stats.get("rebuilds")).longValue() > rebuildsA);
        awaitStats(b, stats -> "UP".equals(stats.get("store-link"))
                && ((Number) stats.get("rebuilds")).longValue() > rebuildsB);
        // Rebuilt from Redis, each node sent its pages a fresh snapshot, D1 still sold.
        Message fresh = onB.await(m -> m.is("snapshot"));
        assertTrue(fresh.json().get("seats").toString().contains("D1"), "D1 still sold after the restart: " + fresh);

        onB.request("hold", "D1");
        assertEquals("seat D1 is sold", onB.await(m -> m.isSeat("error", "D1")).str("message"));
        // UP means rebuilt with the bus connected again: later bookings cross.
        onB.request("hold", "D2");
        assertEquals(onB.id, seatChanged(onA, "D2", "held").str("owner"));
        onA.request("hold", "D3");
        assertEquals(onA.id, seatChanged(onB, "D3", "held").str("owner"));
    }

    @Test
    void aRestartedNodeRebuildsItsViewFromRedis() throws Exception {
        SeatsServer a = node("a", Duration.ofSeconds(60));
        SeatsServer b = node("b", Duration.ofSeconds(60));
        SeatsClient onA = client(a);
        onA.request("hold", "F1");
        onA.request("hold", "F2");
        seatChanged(onA, "F2", "held");
        onA.request("confirm", "F2");
        seatChanged(onA, "F2", "sold");
        nodes.remove(b);
        b.close();
        onA.request("hold", "F3"); // while b is away
        seatChanged(onA, "F3", "held");

        SeatsServer again = node("b", Duration.ofSeconds(60));
        SeatsClient onB = client(again);
        assertEquals(Map.of("F1", "held/" + onA.id, "F2", "sold/" + onA.id, "F3", "held/" + onA.id), onB.seats,
                "the new node's first snapshot is Redis's map");
        // And the same token is the same client on any node: its holds are still its own.
        SeatsClient back = SeatsClient.reconnect(again.port(), onA.token);
        clients.add(back);
        assertEquals(onA.id, back.id);
        back.request("release", "F1");
        assertEquals("released", seatChanged(onA, "F1", "free").str("cause"));
    }
}
