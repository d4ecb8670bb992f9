package dev.wsreactor.redis;

import java.util.concurrent.atomic.AtomicLong;

/** From publishing to the listener's start, across nodes: the last and the largest, in nanoseconds. */
final class Lag {

    private final AtomicLong max = new AtomicLong();
    private volatile long last;

    /** A clock behind the publisher's gives a negative lag: it counts as none. */
    void record(long nanos) {
        long lag = Math.max(0, nanos);
        last = lag;
        max.accumulateAndGet(lag, Math::max);
    }

    long last() {
        return last;
    }

    long max() {
        return max.get();
    }
}
