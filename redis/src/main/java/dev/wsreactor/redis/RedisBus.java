package dev.wsreactor.redis;

import dev.wsreactor.bus.Bus;
import dev.wsreactor.bus.BusListener;
import dev.wsreactor.bus.BusStats;
import dev.wsreactor.bus.BusSubscription;
import dev.wsreactor.bus.LagHistogram;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Bus} across nodes over Redis pub/sub: every node that builds one on the same Redis gets every node's
 * publishes on the topics it subscribes to. Topic {@code t} is the Redis channel {@code wsreactor:t} (the prefix is
 * {@link Builder#channelPrefix settable}), so the bus shares a Redis with other users without colliding.
 *
 * <p>Two connections, each with its own thread: one SUBSCRIBEs to the topics that have subscribers and hands each
 * message to each subscriber's executor (for example {@code server::execute}, a reactor's task queue), the other
 * drains a bounded queue of publishes into Redis. So no method blocks or does I/O on the caller's thread, and a
 * reactor thread may publish. When Redis goes away both reconnect with exponential back-off and jitter, and the
 * subscribing one subscribes every topic again; meanwhile {@link BusStats#connected()} is false and publishes fail
 * at once. Each message carries its publish time and node id, from which the receiver reports the lag.
 * {@link BusStats#reconnects()} counts the subscribing connection's returns: after each, messages published while it
 * was away may be missing, so a node that keeps a view in step with others rebuilds it from the store then.
 *
 * <p>The client is Jedis: blocking and small (a connection pool, a logging API and two JSON libraries are its
 * dependencies), which is what one subscribing thread and one publishing connection need; Lettuce would bring
 * Netty and Project Reactor for an event loop the bus does not use.
 */
public final class RedisBus implements Bus {

    private final String nodeId;
    private final byte[] nodeIdBytes;
    private final byte[] prefix;
    private final byte[] controlChannel;
    private final Map<String, List<Subscription>> topics = new ConcurrentHashMap<>();
    private final Publisher publisher;
    private final Subscriber subscriber;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final LagHistogram lag = new LagHistogram();
    private volatile boolean closed;

    private RedisBus(Builder builder) {
        this.nodeId = builder.nodeId;
        this.nodeIdBytes = Envelope.nodeIdBytes(nodeId);
        this.prefix = builder.channelPrefix.getBytes(StandardCharsets.UTF_8);
        this.controlChannel = (builder.channelPrefix.isEmpty() ? "wsreactor:bus" : builder.channelPrefix)
                .getBytes(StandardCharsets.UTF_8);
        // CLIENT SETNAME takes no spaces or newlines: a node id with them must not keep the bus from connecting
        RedisConnector connector = new RedisConnector(builder.uri, builder.timeout, builder.healthCheck,
                "wsreactor-" + nodeId.replaceAll("[^A-Za-z0-9._:-]", "_"));
        String name = "wsreactor-redis-" + nodeId;
        this.publisher = new Publisher(connector, builder.publishQueue,
                new Backoff(builder.minBackoff, builder.maxBackoff), name + "-publisher");
        this.subscriber = new Subscriber(connector, new Channels(),
                new Backoff(builder.minBackoff, builder.maxBackoff), name + "-subscriber");
    }

    /**
     * Starts a builder.
     *
     * @param redis where Redis is: {@code redis://host:port} (port 6379 if none), with {@code user:password@} and a
     *     {@code /database} if needed, or {@code rediss://} for TLS
     * @return a builder with the defaults: a random node id, back-off from 100 ms to 5 s, the prefix
     *     {@code wsreactor:}, room for 10,000 queued publishes
     */
    public static Builder builder(URI redis) {
        return new Builder(redis);
    }

    /** {@return this node's id, which each of its messages carries} */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, ByteBuffer message) {
        requireTopic(topic);
        if (closed) {
            return publisher.failed("the bus is closed");
        }
        byte[] envelope = Envelope.encode(nodeIdBytes, Envelope.nowEpochNanos(), message);
        return publisher.submit(channel(topic), envelope);
    }

    @Override
    public BusSubscription subscribe(String topic, Executor deliverOn, BusListener listener) {
        requireTopic(topic);
        Subscription subscription = new Subscription(topic, Objects.requireNonNull(deliverOn),
                Objects.requireNonNull(listener));
        boolean first = topics.compute(topic, (t, list) -> {
            List<Subscription> subscribers = list == null ? new CopyOnWriteArrayList<>() : list;
            subscribers.add(subscription);
            return subscribers;
        }).size() == 1;
        if (first) {
            subscriber.changed(channel(topic));
        }
        return subscription;
    }

    @Override
    public BusStats stats() {
        boolean connected = subscriber.state() == LinkState.CONNECTED && publisher.state() == LinkState.CONNECTED;
        return BusStats.of(publisher.published(), received.get(), publisher.failed(), subscriber.reconnects(),
                connected, lag);
    }

    /** {@return messages received on the bus's channels that were not a bus's (another user of the channel)} */
    public long malformed() {
        return malformed.get();
    }

    @Override
    public void close() {
        closed = true;
        subscriber.close();
        publisher.close();
        topics.clear();
    }

    /** Connects both connections; the builder's last step. */
    private RedisBus start() {
        subscriber.start();
        publisher.start();
        return this;
    }

    private byte[] channel(String topic) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        byte[] channel = Arrays.copyOf(prefix, prefix.length + name.length);
        System.arraycopy(name, 0, channel, prefix.length, name.length);
        return channel;
    }

    /** {@return the topic of one of our channels, or null} */
    private String topic(byte[] channel) {
        if (channel.length <= prefix.length || !Arrays.equals(channel, 0, prefix.length, prefix, 0, prefix.length)) {
            return null;
        }
        return new String(channel, prefix.length, channel.length - prefix.length, StandardCharsets.UTF_8);
    }

    private static void requireTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a topic is a non-empty string");
        }
    }

    /** The subscriber thread's view of the topics. */
    private final class Channels implements Subscriber.Channels {

        @Override
        public byte[] control() {
            return controlChannel;
        }

        @Override
        public byte[][] wanted() {
            return topics.keySet().stream().map(RedisBus.this::channel).toArray(byte[][]::new);
        }

        @Override
        public boolean wants(byte[] channel) {
            String topic = topic(channel);
            return topic != null && topics.containsKey(topic);
        }

        @Override
        public void received(byte[] channel, byte[] payload) {
            String topic = topic(channel);
            Envelope envelope = topic == null ? null : Envelope.decode(payload);
            if (envelope == null) {
                malformed.incrementAndGet();
                return;
            }
            received.incrementAndGet();
            for (Subscription subscription : topics.getOrDefault(topic, List.of())) {
                subscription.hand(envelope);
            }
        }
    }

    private final class Subscription implements BusSubscription {
        private final String topic;
        private final Executor deliverOn;
        private final BusListener listener;
        private volatile boolean active = true;

        Subscription(String topic, Executor deliverOn, BusListener listener) {
            this.topic = topic;
            this.deliverOn = deliverOn;
            this.listener = listener;
        }

        /** On the subscriber thread: onto the subscriber's executor, never running the listener here. */
        void hand(Envelope envelope) {
            try {
                deliverOn.execute(() -> deliver(envelope));
            } catch (RejectedExecutionException stopped) {
                // the executor has stopped (its server closed): this subscriber gets nothing more
            }
        }

        private void deliver(Envelope envelope) {
            if (!active || closed) {
                return;
            }
            lag.record(Envelope.nowEpochNanos() - envelope.sentAtEpochNanos());
            listener.onMessage(topic, envelope.message().duplicate());
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public void close() {
            if (!active) {
                return;
            }
            active = false;
            boolean last = topics.computeIfPresent(topic, (t, list) -> {
                list.remove(this);
                return list.isEmpty() ? null : list;
            }) == null;
            if (last) {
                subscriber.changed(channel(topic));
            }
        }
    }

    /** Builds a {@link RedisBus}. */
    public static final class Builder {
        private final URI uri;
        private String nodeId = UUID.randomUUID().toString().substring(0, 8);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(2);
        private Duration healthCheck = Duration.ofSeconds(1);
        private String channelPrefix = "wsreactor:";
        private int publishQueue = 10_000;

        private Builder(URI uri) {
            String scheme = Objects.requireNonNull(uri, "uri").getScheme();
            if (!("redis".equals(scheme) || "rediss".equals(scheme)) || uri.getHost() == null) {
                throw new IllegalArgumentException("a Redis URI is redis://host:port or rediss://host:port, not " + uri);
            }
            this.uri = uri.getPort() != -1 ? uri : URI.create(scheme + "://" + (uri.getRawUserInfo() == null ? ""
                    : uri.getRawUserInfo() + "@") + uri.getHost() + ":6379" + (uri.getRawPath() == null ? ""
                    : uri.getRawPath()));
        }

        /**
         * Names this node in its messages (and its Redis client name).
         *
         * @param id at most 255 bytes of UTF-8, e.g. the host name
         * @return this builder
         */
        public Builder nodeId(String id) {
            Envelope.nodeIdBytes(Objects.requireNonNull(id, "id"));
            this.nodeId = id;
            return this;
        }

        /**
         * The waits between reconnection attempts: doubling from the first to the most, each drawn from the upper
         * half of its range.
         *
         * @param min the first wait
         * @param max the longest wait
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("back-off needs 0 < min <= max");
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * How long to wait for Redis to accept a connection or answer a command.
         *
         * @param timeout a positive duration (default 2 s)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout);
            return this;
        }

        /**
         * How often an idle connection is pinged; one that misses three answers is taken for lost and reconnected.
         *
         * @param every a positive duration (default 1 s)
         * @return this builder
         */
        public Builder healthCheck(Duration every) {
            this.healthCheck = positive(every);
            return this;
        }

        /**
         * What goes before each topic's name to make its Redis channel.
         *
         * @param prefix for example {@code wsreactor:} (the default) or {@code myapp:bus:}; empty for none
         * @return this builder
         */
        public Builder channelPrefix(String prefix) {
            this.channelPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * How many publishes may wait for the publishing connection; one more fails at once.
         *
         * @param messages a positive number (default 10,000)
         * @return this builder
         */
        public Builder publishQueue(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("the publish queue holds at least one message");
            }
            this.publishQueue = messages;
            return this;
        }

        /**
         * Builds the bus and starts connecting; it returns at once, and {@link BusStats#connected()} says when
         * the bus is connected (publishes before then wait in the queue).
         *
         * @return the bus
         */
        public RedisBus build() {
            return new RedisBus(this).start();
        }

        private static Duration positive(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a positive duration, not " + duration);
            }
            return duration;
        }
    }
}
