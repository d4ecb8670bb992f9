package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.bus.BusStats;
import dev.wsreactor.bus.BusSubscription;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

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
        awaitSubscribed("seats");

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
        awaitSubscribed("bin");
        byte[] sent = new byte[70_000];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }

        nodeA.publish("bin", ByteBuffer.wrap(sent)).get(5, TimeUnit.SECONDS);

        assertArrayEquals(sent, got.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void messagesArriveInPublishingOrderOnEveryNode() throws Exception {
        int count = 2_000;
        BlockingQueue<String> onA = new LinkedBlockingQueue<>();
        BlockingQueue<String> onB = new LinkedBlockingQueue<>();
        nodeA.subscribe("order", deliveries, (topic, message) -> onA.add(StandardCharsets.UTF_8.decode(message).toString()));
        nodeB.subscribe("order", deliveries, (topic, message) -> onB.add(StandardCharsets.UTF_8.decode(message).toString()));
        awaitSubscribers(redis, "order", 2);

        long start = System.nanoTime();
        CompletableFuture<?>[] sent = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            sent[i] = nodeA.publish("order", Integer.toString(i));
        }
        CompletableFuture.allOf(sent).get(10, TimeUnit.SECONDS);

        for (BlockingQueue<String> node : List.of(onB, onA)) {
            for (int i = 0; i < count; i++) {
                assertEquals(Integer.toString(i), node.poll(10, TimeUnit.SECONDS));
            }
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        assertEquals(count, nodeA.stats().published());
        BusStats b = nodeB.stats();
        System.out.printf("burst of %d: all delivered on both nodes in %d ms (%d messages/s); B's lag p50 %d us,"
                + " p99 %d us, max %d us%n", count, micros / 1000, count * 1_000_000L / Math.max(1, micros),
                b.lagP50Nanos() / 1000, b.lagP99Nanos() / 1000, b.maxLagNanos() / 1000);
    }

    @Test
    void aClosedSubscriptionGetsNothingAndTheLastOneLeavesTheChannel() throws Exception {
        BlockingQueue<String> closedOne = new LinkedBlockingQueue<>();
        BlockingQueue<String> openOne = new LinkedBlockingQueue<>();
        BusSubscription leaving = nodeB.subscribe("leave", deliveries, (t, m) -> closedOne.add("got"));
        BusSubscription staying = nodeB.subscribe("leave", deliveries, (t, m) -> openOne.add("got"));
        awaitSubscribed("leave");

        leaving.close();
        nodeA.publish("leave", "after the close").get(5, TimeUnit.SECONDS);

        // one executor, in order: once the open one has it, the closed one's turn has passed
        assertEquals("got", openOne.poll(5, TimeUnit.SECONDS));
        assertTrue(closedOne.isEmpty(), "a closed subscription was delivered to");
        assertEquals("leave", staying.topic());
        staying.close();
        awaitSubscribers(redis, "leave", 0);
    }

    @Test
    void theReceiverReportsTheLag() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        nodeB.subscribe("lag", deliveries, (t, m) -> got.add("got"));
        awaitSubscribed("lag");
        assertEquals(0, nodeB.stats().maxLagNanos());

        long before = System.nanoTime();
        nodeA.publish("lag", "now").get(5, TimeUnit.SECONDS);
        assertEquals("got", got.poll(5, TimeUnit.SECONDS));
        long bound = System.nanoTime() - before + TimeUnit.MILLISECONDS.toNanos(5); // the clocks' resolution

        BusStats stats = nodeB.stats();
        assertTrue(stats.lastLagNanos() > 0 && stats.lastLagNanos() <= bound, "lag " + stats.lastLagNanos());
        assertTrue(stats.maxLagNanos() >= stats.lastLagNanos());
        assertEquals(1, stats.lagCount());
        assertEquals(stats.lastLagNanos(), stats.lagSumNanos());
        assertTrue(stats.lagP99Nanos() <= stats.maxLagNanos() && stats.lagP99Nanos() > 0);
        assertEquals(0, nodeA.stats().lastLagNanos(), "A received nothing");
    }

    @Test
    void oneAtATimeTheLagIsTheRoundTripThroughRedis() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        nodeB.subscribe("ping", deliveries, (t, m) -> got.add("got"));
        awaitSubscribed("ping");
        int count = 500;
        for (int i = 0; i < count; i++) {
            nodeA.publish("ping", "x").get(5, TimeUnit.SECONDS);
            assertEquals("got", got.poll(5, TimeUnit.SECONDS));
        }
        BusStats b = nodeB.stats();
        assertEquals(count, b.lagCount());
        assertTrue(b.lagP50Nanos() <= b.lagP99Nanos() && b.lagP99Nanos() <= b.maxLagNanos());
        assertTrue(b.lagP50Nanos() < TimeUnit.MILLISECONDS.toNanos(100), "median lag " + b.lagP50Nanos() + " ns");
        System.out.printf("one at a time, %d messages: B's lag p50 %d us, p99 %d us, max %d us%n", count,
                b.lagP50Nanos() / 1000, b.lagP99Nanos() / 1000, b.maxLagNanos() / 1000);
    }

    @Test
    void aClosedBusFailsItsPublishes() {
        nodeA.close();
        CompletableFuture<Void> refused = nodeA.publish("closed", "late");
        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RedisBusException.class, failure.getCause());
        assertEquals(1, nodeA.stats().failed());
        assertFalse(nodeA.stats().connected());
    }

    @Test
    void closingABusEndsItsThreads() {
        RedisBus bus = bus("leaving");
        awaitTrue("connected", () -> bus.stats().connected());
        assertEquals(3, threadsOf("leaving"), "subscriber, its control thread, publisher");

        bus.close();

        awaitTrue(() -> "the threads end: " + threadsOf("leaving") + " left", () -> threadsOf("leaving") == 0);
    }

    private static long threadsOf(String node) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("wsreactor-redis-" + node + "-")).count();
    }

    @Test
    void aFullPublishQueueFailsThePublishAtOnce() throws Exception {
        // a "Redis" that accepts and never answers: the publisher thread waits in its first PING before it ever
        // takes from the queue, so the queue of one stays full
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RedisBus stuck = RedisBus.builder(URI.create("redis://127.0.0.1:" + silent.getLocalPort()))
                    .publishQueue(1).timeout(Duration.ofSeconds(20)).build();
            CompletableFuture<Void> queued;
            try {
                queued = stuck.publish("full", "first");
                CompletableFuture<Void> refused = stuck.publish("full", "second");

                assertTrue(refused.isCompletedExceptionally(), "failed before publish returned");
                ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
                assertTrue(failure.getCause().getMessage().contains("full"), failure.getCause().getMessage());
                assertEquals(1, stuck.stats().failed());
                assertFalse(queued.isDone());
                assertFalse(stuck.stats().connected());
            } finally {
                stuck.close();
            }
            assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS), "close fails the queue");
            assertEquals(2, stuck.stats().failed());
        }
    }

    /** A subscription reaches Redis off the caller's thread: wait until Redis counts a subscriber (NUMSUB). */
    static void awaitSubscribed(String topic) {
        awaitSubscribers(redis, topic, 1);
    }

    /** Waits until Redis counts as many subscribing connections on the topic's channel. */
    static void awaitSubscribers(RedisProcess redis, String topic, long connections) {
        String channel = "wsreactor:" + topic;
        try (Jedis jedis = new Jedis(redis.uri())) {
            awaitTrue(connections + " subscribers on " + channel, () ->
                    jedis.pubsubNumSub(channel).getOrDefault(channel, 0L) == connections);
        }
    }

    private RedisBus bus(String node) {
        return bus(redis, node);
    }

    static RedisBus bus(RedisProcess redis, String node) {
        // a PING every 500 ms: an idle publisher notices a lost Redis within it, and a loaded machine that answers
        // late is not taken for a lost Redis (three unanswered)
        return RedisBus.builder(redis.uri()).nodeId(node).healthCheck(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(300)).build();
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        awaitTrue(() -> what, condition);
    }

    /** Polls the condition for at most 10 s; the description is made when it fails, to show the state then. */
    static void awaitTrue(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a bounded poll, not a wait for an event
        }
    }
}
