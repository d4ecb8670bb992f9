package dev.wsreactor.reactor;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The reactor's running counts, one {@code long} per {@link Counter}. The reactor thread adds to plain array slots
 * (no atomics on the hot path) and copies the slots that changed to a mirror once per loop iteration with
 * {@link #publish}; other threads read only the mirror, through {@link #snapshot}. A snapshot may mix two
 * iterations; each figure is exact for its own.
 */
final class Counters {

    private static final int COUNT = Counter.values().length;

    private final long[] values = new long[COUNT];
    private final long[] lastPublished = new long[COUNT];
    private final AtomicLongArray published = new AtomicLongArray(COUNT);

    private final TreeMap<Integer, Long> closeCodes = new TreeMap<>();
    private long closes;
    private long closesPublished;
    private volatile Map<Integer, Long> publishedCloseCodes = Map.of();

    void increment(Counter counter) {
        values[counter.ordinal()]++;
    }

    void decrement(Counter counter) {
        values[counter.ordinal()]--;
    }

    void add(Counter counter, long amount) {
        values[counter.ordinal()] += amount;
    }

    /** The current figure, on the reactor thread. */
    long get(Counter counter) {
        return values[counter.ordinal()];
    }

    /** A session closed with this code (the peer's, or ours when we failed it). */
    void sessionClosed(int code) {
        decrement(Counter.SESSIONS_OPEN);
        closeCodes.merge(code, 1L, Long::sum);
        closes++;
    }

    /** Called by the reactor thread; the mirror is written only for a figure that changed. */
    void publish() {
        if (closes != closesPublished) {
            closesPublished = closes;
            publishedCloseCodes = Collections.unmodifiableMap(new TreeMap<>(closeCodes));
        }
        for (int i = 0; i < COUNT; i++) {
            long value = values[i];
            if (value != lastPublished[i]) {
                lastPublished[i] = value;
                published.set(i, value);
            }
        }
    }

    /** The published figures, from any thread. */
    ServerStats snapshot() {
        long[] copy = new long[COUNT];
        for (int i = 0; i < COUNT; i++) {
            copy[i] = published.get(i);
        }
        return new ServerStats(copy, publishedCloseCodes);
    }
}
