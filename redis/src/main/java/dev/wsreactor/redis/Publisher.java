package dev.wsreactor.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The publishing connection and its one thread: callers put messages on a bounded queue and return; the thread
 * writes what has gathered in one pipeline and completes the futures. While Redis is unreachable a publish fails at
 * once (the thread retries the connection with back-off meanwhile); a full queue fails it too. Whatever Jedis
 * throws counts as a lost connection, so the thread outlives any failure of Redis or of the client.
 */
final class Publisher implements Runnable {

    /** At most this many messages go in one pipeline, so futures complete steadily under a flood. */
    private static final int MAX_BATCH = 256;

    private record Outgoing(byte[] channel, byte[] envelope, CompletableFuture<Void> done) {
    }

    private final RedisConnector connector;
    private final ArrayBlockingQueue<Outgoing> queue;
    private final Backoff backoff;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;
    private volatile LinkState state = LinkState.CONNECTING;
    private volatile Jedis connection;

    Publisher(RedisConnector connector, int capacity, Backoff backoff, String threadName) {
        this.connector = connector;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.backoff = backoff;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues the message for the thread; never blocks. */
    CompletableFuture<Void> submit(byte[] channel, byte[] envelope) {
        LinkState now = state;
        if (now == LinkState.CLOSED || now == LinkState.DOWN) {
            return failed(now == LinkState.CLOSED ? "the bus is closed" : "Redis is unreachable");
        }
        Outgoing outgoing = new Outgoing(channel, envelope, new CompletableFuture<>());
        if (!queue.offer(outgoing)) {
            return failed("the publish queue is full (" + (queue.size() + queue.remainingCapacity()) + ")");
        }
        if (state == LinkState.CLOSED && queue.remove(outgoing)) {
            fail(List.of(outgoing), "the bus is closed");
        }
        return outgoing.done;
    }

    LinkState state() {
        return state;
    }

    long published() {
        return published.get();
    }

    long failed() {
        return failed.get();
    }

    /** Counts a publish refused before it reached the queue (a closed bus). */
    CompletableFuture<Void> failed(String why) {
        failed.incrementAndGet();
        return CompletableFuture.failedFuture(new RedisBusException(why));
    }

    /** Fails what is queued now, from the caller: the thread may be stuck in I/O until its socket closes. */
    void close() {
        state = LinkState.CLOSED;
        thread.interrupt();
        Jedis open = connection;
        if (open != null) {
            open.disconnect();
        }
        List<Outgoing> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, "the bus is closed");
    }

    @Override
    public void run() {
        long nextAttempt = System.nanoTime();
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (state != LinkState.CLOSED) {
                if (connection == null && System.nanoTime() - nextAttempt >= 0) {
                    nextAttempt = connect();
                }
                long wait = connection == null ? Math.max(0, nextAttempt - System.nanoTime())
                        : connector.healthCheckNanos();
                Outgoing first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first == null) {
                    nextAttempt = checkHealth(nextAttempt);
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                nextAttempt = write(batch, nextAttempt);
                batch.clear();
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } finally {
            state = LinkState.CLOSED;
            disconnect();
            List<Outgoing> left = new ArrayList<>();
            queue.drainTo(left);
            fail(left, "the bus is closed");
        }
    }

    /** {@return when to try again if this attempt failed} */
    private long connect() {
        try {
            Jedis jedis = connector.open();
            connection = jedis; // visible to close() while the first PING waits
            jedis.ping();
            backoff.reset();
            if (state != LinkState.CLOSED) {
                state = LinkState.CONNECTED;
            }
            return System.nanoTime();
        } catch (RuntimeException unreachable) {
            return lost();
        }
    }

    /** An idle connection is pinged, so a lost Redis is noticed before the next publish needs it. */
    private long checkHealth(long nextAttempt) {
        Jedis jedis = connection;
        if (jedis == null) {
            return nextAttempt;
        }
        try {
            jedis.ping();
            return nextAttempt;
        } catch (RuntimeException unreachable) {
            return lost();
        }
    }

    private long write(List<Outgoing> batch, long nextAttempt) {
        Jedis jedis = connection;
        if (jedis == null) {
            fail(batch, "Redis is unreachable");
            return nextAttempt;
        }
        try {
            if (batch.size() == 1) {
                jedis.publish(batch.get(0).channel, batch.get(0).envelope);
            } else {
                Pipeline pipeline = jedis.pipelined();
                for (Outgoing outgoing : batch) {
                    pipeline.publish(outgoing.channel, outgoing.envelope);
                }
                pipeline.sync();
            }
        } catch (RuntimeException unreachable) {
            fail(batch, "Redis is unreachable: " + unreachable.getMessage());
            return lost();
        }
        published.addAndGet(batch.size());
        for (Outgoing outgoing : batch) {
            outgoing.done.complete(null);
        }
        return nextAttempt;
    }

    /** The connection is gone: publishes fail until the attempt at the returned time succeeds. */
    private long lost() {
        disconnect();
        if (state != LinkState.CLOSED) {
            state = LinkState.DOWN;
        }
        List<Outgoing> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        fail(waiting, "Redis is unreachable");
        return System.nanoTime() + backoff.nextDelayNanos();
    }

    private void disconnect() {
        Jedis jedis = connection;
        connection = null;
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException alreadyBroken) {
                // the socket is gone either way
            }
        }
    }

    private void fail(List<Outgoing> outgoing, String why) {
        for (Outgoing each : outgoing) {
            failed.incrementAndGet();
            each.done.completeExceptionally(new RedisBusException(why));
        }
    }
}
