package dev.wsreactor.redis;

import static dev.wsreactor.redis.RedisBusTest.awaitSubscribers;
import static dev.wsreactor.redis.RedisBusTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redis killed and started again on the same port, under two buses: they fail meanwhile and then carry on. */
class RedisRestartTest {

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.startOrSkip();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void bothBusesReconnectAfterARestartAndResubscribe() throws Exception {
        ExecutorService deliveries = Executors.newSingleThreadExecutor();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (RedisBus nodeA = RedisBusTest.bus(redis, "a"); RedisBus nodeB = RedisBusTest.bus(redis, "b")) {
            nodeB.subscribe("restart", deliveries, (t, m) -> got.add(StandardCharsets.UTF_8.decode(m).toString()));
            awaitSubscribers(redis, "restart", 1);
            nodeA.publish("restart", "before").get(5, TimeUnit.SECONDS);
            assertEquals("before", got.poll(5, TimeUnit.SECONDS));

            redis.stop();
            long lostAt = System.nanoTime();
            awaitTrue(() -> "both buses see Redis gone: A " + nodeA.stats() + ", B " + nodeB.stats(), () -> !nodeA.stats().connected() && !nodeB.stats().connected());
            long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt);
            CompletableFuture<Void> duringOutage = nodeA.publish("restart", "lost");
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> duringOutage.get(1, TimeUnit.SECONDS), "a publish during the outage fails promptly");
            assertInstanceOf(RedisBusException.class, failure.getCause());
            assertTrue(nodeA.stats().failed() >= 1);
            BlockingQueue<String> joinedLate = new LinkedBlockingQueue<>();
            nodeB.subscribe("during", deliveries, (t, m) -> joinedLate.add(StandardCharsets.UTF_8.decode(m).toString()));

            redis.start();
            long backAt = System.nanoTime();
            awaitTrue(() -> "both buses reconnected: A " + nodeA.stats() + ", B " + nodeB.stats(), () -> nodeA.stats().connected() && nodeB.stats().connected()
                    && nodeB.stats().reconnects() >= 1 && nodeA.stats().reconnects() >= 1);
            long reconnectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - backAt);
            awaitSubscribers(redis, "restart", 1); // B subscribed its topic again on the new connection
            nodeA.publish("restart", "after").get(5, TimeUnit.SECONDS);
            assertEquals("after", got.poll(5, TimeUnit.SECONDS));
            assertTrue(got.isEmpty(), "nothing published during the outage arrived: " + got);
            awaitSubscribers(redis, "during", 1); // subscribed while Redis was down: in the new connection's SUBSCRIBE
            nodeA.publish("during", "joined during the outage").get(5, TimeUnit.SECONDS);
            assertEquals("joined during the outage", joinedLate.poll(5, TimeUnit.SECONDS));
            System.out.printf("restart: both buses noticed in %d ms, reconnected in %d ms%n",
                    noticedMillis, reconnectMillis);
        } finally {
            deliveries.shutdownNow();
        }
    }

    @Test
    void aRedisThatStopsAnsweringIsTakenForLostAndFoundAgain() throws Exception {
        try (RedisBus bus = RedisBus.builder(redis.uri()).nodeId("frozen").healthCheck(Duration.ofMillis(200))
                .timeout(Duration.ofSeconds(1)).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(300))
                .build()) {
            awaitTrue("connected", () -> bus.stats().connected());
            long reconnectsBefore = bus.stats().reconnects();

            redis.signal("STOP"); // no FIN, no RST: only the unanswered PINGs tell
            try {
                awaitTrue(() -> "the silence noticed: " + bus.stats(), () -> !bus.stats().connected());
            } finally {
                redis.signal("CONT");
            }

            awaitTrue(() -> "connected again: " + bus.stats(),
                    () -> bus.stats().connected() && bus.stats().reconnects() > reconnectsBefore);
        }
    }
}
