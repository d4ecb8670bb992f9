package dev.wsreactor.redis;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * The subscribing connection: one thread blocks in Jedis's SUBSCRIBE loop and hands each message to the bus;
 * another (the control thread) writes SUBSCRIBE, UNSUBSCRIBE and PING on the live connection, so a caller never
 * does I/O. After a loss it reconnects with back-off and subscribes every topic that has subscribers again.
 */
final class Subscriber implements Runnable {

    /** Callbacks into the bus. */
    interface Channels {

        /** {@return the channel that is always subscribed, so the connection is subscribed even with no topics} */
        byte[] control();

        /** {@return every channel with subscribers now} */
        byte[][] wanted();

        /** {@return whether the channel has subscribers now} */
        boolean wants(byte[] channel);

        /** A message arrived on the channel (on the subscriber thread). */
        void received(byte[] channel, byte[] payload);
    }

    private final RedisConnector connector;
    private final Channels channels;
    private final Backoff backoff;
    private final Thread thread;
    private final ScheduledExecutorService control;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong reconnects = new AtomicLong();
    private volatile LinkState state = LinkState.CONNECTING;
    private volatile Jedis connection;
    private volatile PubSub pubSub;
    private final AtomicInteger unanswered = new AtomicInteger();
    private boolean everConnected;

    Subscriber(RedisConnector connector, Channels channels, Backoff backoff, String threadName) {
        this.connector = connector;
        this.channels = channels;
        this.backoff = backoff;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
        this.control = Executors.newSingleThreadScheduledExecutor(daemon(threadName + "-control"));
    }

    void start() {
        thread.start();
        long every = connector.healthCheckNanos();
        control.scheduleWithFixedDelay(this::checkHealth, every, every, TimeUnit.NANOSECONDS);
    }

    LinkState state() {
        return state;
    }

    long reconnects() {
        return reconnects.get();
    }

    /** The channel gained its first subscriber or lost its last: SUBSCRIBE or UNSUBSCRIBE it, off the caller. */
    void changed(byte[] channel) {
        onControl(() -> reconcile(channel));
    }

    void close() {
        state = LinkState.CLOSED;
        closed.countDown();
        control.shutdownNow();
        Jedis open = connection;
        if (open != null) {
            open.disconnect();
        }
    }

    @Override
    public void run() {
        while (state != LinkState.CLOSED) {
            try (Jedis jedis = connector.open()) {
                connection = jedis;
                PubSub listening = new PubSub();
                pubSub = listening;
                unanswered.set(0);
                jedis.subscribe(listening, all());
            } catch (RuntimeException lost) {
                // Redis went away, the bus closed the socket, or Jedis failed: back off, then connect again
            } finally {
                pubSub = null;
                connection = null;
                if (state != LinkState.CLOSED) {
                    state = LinkState.DOWN;
                }
            }
            try {
                if (state == LinkState.CLOSED || closed.await(backoff.nextDelayNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException stop) {
                return;
            }
        }
    }

    private byte[][] all() {
        byte[][] wanted = channels.wanted();
        byte[][] all = new byte[wanted.length + 1][];
        all[0] = channels.control();
        System.arraycopy(wanted, 0, all, 1, wanted.length);
        return all;
    }

    private void reconcile(byte[] channel) {
        PubSub live = pubSub;
        if (live == null || state != LinkState.CONNECTED) {
            return; // the next connection subscribes whatever is wanted then
        }
        try {
            if (channels.wants(channel)) {
                live.subscribe(channel);
            } else if (!Arrays.equals(channel, channels.control())) {
                live.unsubscribe(channel);
            }
        } catch (RuntimeException lost) {
            // the subscriber thread sees the loss too and reconnects
        }
    }

    /** Pings the live connection; one that has left three pings running unanswered is closed, to be reconnected. */
    private void checkHealth() {
        PubSub live = pubSub;
        Jedis open = connection;
        if (live == null || open == null || state != LinkState.CONNECTED) {
            return;
        }
        if (unanswered.getAndIncrement() >= 3) {
            open.disconnect();
            return;
        }
        try {
            live.ping();
        } catch (RuntimeException lost) {
            open.disconnect();
        }
    }

    private void onControl(Runnable task) {
        try {
            control.execute(task);
        } catch (RejectedExecutionException closing) {
            // the bus is closed: nothing more to subscribe
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private final class PubSub extends BinaryJedisPubSub {

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            if (!Arrays.equals(channel, channels.control()) || state == LinkState.CLOSED) {
                return;
            }
            state = LinkState.CONNECTED;
            backoff.reset();
            if (everConnected) {
                reconnects.incrementAndGet();
            }
            everConnected = true;
            // topics subscribed while this connection was being made were not in its SUBSCRIBE: add them now
            onControl(() -> {
                for (byte[] wanted : channels.wanted()) {
                    reconcile(wanted);
                }
            });
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            unanswered.set(0); // a message shows the connection alive as well as a pong
            channels.received(channel, message);
        }

        @Override
        public void onPong(byte[] pattern) {
            unanswered.set(0);
        }
    }
}
