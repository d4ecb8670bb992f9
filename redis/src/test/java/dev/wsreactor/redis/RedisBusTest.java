package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two RedisBus instances on one real Redis, as two nodes. */
class RedisBusTest {

    private static RedisProcess redis;

    private RedisBus nodeA;
    private RedisBus nodeB;
    private ExecutorService deliveries;

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

    @BeforeEach
    void twoNodes() {
        nodeA = bus("a");
        nodeB = bus("b");
        deliveries = Executors.newSingleThreadExecutor(task -> new Thread(task, "deliveries"));
        awaitTrue("both buses connected", () -> nodeA.stats().connected() && nodeB.stats().connected());
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        deliveries.shutdownNow();
    }

    @Test
    void textPublishedOnOneNodeArrivesOnTheOtherOnTheGivenExecutor() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        nodeB.subscribe("seats", deliveries, (topic, message) ->
                got.add(topic + "|" + StandardCharsets.UTF_8.decode(message) + "|" + Thread.currentThread().getName()));
        awaitSubscribed(nodeA, "seats");

        nodeA.publish("seats", "seat 12 sold").get(5, TimeUnit.SECONDS);

        assertEquals("seats|seat 12 sold|deliveries", got.poll(5, TimeUnit.SECONDS));
        assertEquals(1, nodeA.stats().published());
        awaitTrue("B counted it", () -> nodeB.stats().received() == 1);
    }

    @Test
    void binaryArrivesByteForByte() throws Exception {
        BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
        nodeB.subscribe("bin", deliveries, (topic, message) -> {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            got.add(bytes);
        });
        awaitSubscribed(nodeA, "bin");
        byte[] sent = new byte[70_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }

        nodeA.publish("bin", ByteBuffer.wrap(sent)).get(5, TimeUnit.SECONDS);

        assertArrayEquals(sent, got.poll(5, TimeUnit.SECONDS));
    }

    /** A subscription reaches Redis off the caller's thread: wait until Redis counts a subscriber (NUMSUB). */
    private void awaitSubscribed(RedisBus publisher, String topic) {
        try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(redis.uri())) {
            awaitTrue("a subscriber on " + topic, () ->
                    jedis.pubsubNumSub("wsreactor:" + topic).getOrDefault("wsreactor:" + topic, 0L) > 0);
        }
    }

    private RedisBus bus(String node) {
        return RedisBus.builder(redis.uri()).nodeId(node)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(300)).build();
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a bounded poll, not a wait for an event
        }
    }
}
