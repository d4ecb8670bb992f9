package dev.wsreactor.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.reactor.WebSocketHandler;
import dev.wsreactor.reactor.WebSocketServer;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessBusTest {

    /** Runs tasks when told, so a test sees what was handed to the executor before anything ran. */
    private static final class HeldExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            tasks.forEach(Runnable::run);
            tasks.clear();
        }
    }

    @Test
    void aPublishReachesEverySubscriberOfTheTopicThroughItsExecutorOnly() {
        try (InProcessBus bus = new InProcessBus()) {
            HeldExecutor first = new HeldExecutor();
            HeldExecutor second = new HeldExecutor();
            List<String> got = new ArrayList<>();
            bus.subscribe("seats", first, (topic, message) -> got.add("1:" + topic + ":" + text(message)));
            bus.subscribe("seats", second, (topic, message) -> got.add("2:" + topic + ":" + text(message)));
            bus.subscribe("other", first, (topic, message) -> got.add("other"));

            assertTrue(bus.publish("seats", "sold").isDone());

            assertEquals(List.of(), got, "nothing runs on the publisher's thread");
            assertEquals(1, first.tasks.size());
            first.runAll();
            second.runAll();
            assertEquals(List.of("1:seats:sold", "2:seats:sold"), got);
            assertEquals(1, bus.stats().published());
        }
    }

    @Test
    void eachSubscriberGetsAReadOnlyCopyTakenAtPublish() {
        try (InProcessBus bus = new InProcessBus()) {
            HeldExecutor executor = new HeldExecutor();
            List<ByteBuffer> got = new ArrayList<>();
            bus.subscribe("bin", executor, (topic, message) -> got.add(message));
            bus.subscribe("bin", executor, (topic, message) -> got.add(message));
            ByteBuffer sent = ByteBuffer.wrap(new byte[] {1, 2, 3});

            bus.publish("bin", sent);
            assertEquals(0, sent.remaining(), "the publish consumed the buffer");
            sent.array()[0] = 9;
            executor.runAll();

            assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), got.get(0));
            assertTrue(got.get(0).isReadOnly());
            assertThrows(ReadOnlyBufferException.class, () -> got.get(0).put(0, (byte) 7));
            got.get(0).get();
            assertEquals(3, got.get(1).remaining(), "subscribers' views are independent");
        }
    }

    @Test
    void messagesArriveInPublishingOrder() {
        try (InProcessBus bus = new InProcessBus()) {
            HeldExecutor executor = new HeldExecutor();
            List<String> got = new ArrayList<>();
            bus.subscribe("order", executor, (topic, message) -> got.add(text(message)));
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add(Integer.toString(i));
                bus.publish("order", Integer.toString(i));
            }
            executor.runAll();
            assertEquals(sent, got);
        }
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreEvenWhatWasAlreadyQueued() {
        try (InProcessBus bus = new InProcessBus()) {
            HeldExecutor executor = new HeldExecutor();
            List<String> got = new ArrayList<>();
            BusSubscription subscription = bus.subscribe("t", executor, (topic, message) -> got.add(text(message)));
            bus.publish("t", "queued before the close");

            subscription.close();
            subscription.close();
            bus.publish("t", "after the close");
            assertEquals(1, executor.tasks.size(), "the second publish found no subscriber");
            executor.runAll();

            assertEquals(List.of(), got);
            assertEquals("t", subscription.topic());
        }
    }

    @Test
    void aClosedBusFailsPublishesAndCountsThem() {
        InProcessBus bus = new InProcessBus();
        HeldExecutor executor = new HeldExecutor();
        List<String> got = new ArrayList<>();
        bus.subscribe("t", executor, (topic, message) -> got.add(text(message)));
        bus.publish("t", "before");
        assertTrue(bus.stats().connected());

        bus.close();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> bus.publish("t", "after").get());
        executor.runAll();

        assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());
        assertEquals(List.of(), got, "a closed bus delivers nothing, not even what was queued");
        BusStats stats = bus.stats();
        assertEquals(1, stats.published());
        assertEquals(1, stats.failed());
        assertFalse(stats.connected());
    }

    @Test
    void aTopicIsANonEmptyString() {
        try (InProcessBus bus = new InProcessBus()) {
            assertThrows(IllegalArgumentException.class, () -> bus.publish("", "x"));
            assertThrows(IllegalArgumentException.class, () -> bus.subscribe(null, Runnable::run, (t, m) -> { }));
        }
    }

    @Test
    void theLagIsMeasuredAtEachDelivery() {
        try (InProcessBus bus = new InProcessBus()) {
            HeldExecutor executor = new HeldExecutor();
            bus.subscribe("lag", executor, (topic, message) -> { });
            bus.subscribe("lag", executor, (topic, message) -> { });
            long before = System.nanoTime();
            bus.publish("lag", "x");
            bus.publish("lag", "y");
            assertEquals(0, bus.stats().lagCount(), "not delivered yet");
            executor.runAll();
            long bound = System.nanoTime() - before;

            BusStats stats = bus.stats();
            assertEquals(4, stats.lagCount());
            assertTrue(stats.lastLagNanos() > 0 && stats.maxLagNanos() <= bound, stats.toString());
            assertTrue(stats.lagP50Nanos() <= stats.lagP99Nanos() && stats.lagP99Nanos() <= stats.maxLagNanos());
            assertTrue(stats.lagSumNanos() >= stats.maxLagNanos());
        }
    }

    @Test
    void withAServerItsListenerRunsOnTheReactorThread() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0)
                .handler(new WebSocketHandler() { }).build().start();
                InProcessBus bus = new InProcessBus()) {
            BlockingQueue<String> threads = new LinkedBlockingQueue<>();
            bus.subscribe("t", server::execute, (topic, message) -> threads.add(Thread.currentThread().getName()));

            bus.publish("t", "x");

            assertEquals("wsreactor-" + server.port(), threads.poll(10, TimeUnit.SECONDS));
        }
    }

    private static String text(ByteBuffer message) {
        return StandardCharsets.UTF_8.decode(message).toString();
    }
}
