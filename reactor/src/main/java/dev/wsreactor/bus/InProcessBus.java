package dev.wsreactor.bus;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bus within one process: a publish hands one read-only copy of the message to each subscriber's executor.
 * Nothing is lost while it is open, so it is what a single node uses and what tests use in place of a broker.
 */
public final class InProcessBus implements Bus {

    private final Map<String, List<Subscriber>> topics = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LagHistogram lag = new LagHistogram();
    private volatile boolean closed;

    /** An open bus with no subscribers. */
    public InProcessBus() {
    }

    @Override
    public CompletableFuture<Void> publish(String topic, ByteBuffer message) {
        requireTopic(topic);
        if (closed) {
            failed.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("the bus is closed"));
        }
        ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip().asReadOnlyBuffer();
        long sentAt = System.nanoTime();
        published.incrementAndGet();
        for (Subscriber subscriber : topics.getOrDefault(topic, List.of())) {
            subscriber.deliverOn.execute(() -> subscriber.deliver(topic, copy.duplicate(), sentAt));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public BusSubscription subscribe(String topic, Executor deliverOn, BusListener listener) {
        requireTopic(topic);
        Subscriber subscriber = new Subscriber(topic, deliverOn, listener);
        topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(subscriber);
        return subscriber;
    }

    @Override
    public BusStats stats() {
        long count = published.get();
        return BusStats.of(count, count, failed.get(), 0, !closed, lag);
    }

    @Override
    public void close() {
        closed = true;
        topics.clear();
    }

    static void requireTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a topic is a non-empty string");
        }
    }

    private final class Subscriber implements BusSubscription {
        final String topic;
        final Executor deliverOn;
        final BusListener listener;
        volatile boolean active = true;

        Subscriber(String topic, Executor deliverOn, BusListener listener) {
            this.topic = topic;
            this.deliverOn = deliverOn;
            this.listener = listener;
        }

        void deliver(String topic, ByteBuffer message, long sentAt) {
            if (!active || closed) {
                return;
            }
            lag.record(System.nanoTime() - sentAt);
            listener.onMessage(topic, message);
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public void close() {
            active = false;
            List<Subscriber> subscribers = topics.get(topic);
            if (subscribers != null) {
                subscribers.remove(this);
            }
        }
    }
}
