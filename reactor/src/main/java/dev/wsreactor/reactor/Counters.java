package dev.wsreactor.reactor;

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

    private final CountsByCode closeCodes = new CountsByCode();
    private final CountsByCode httpResponses = new CountsByCode();

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
        closeCodes.add(code);
    }

    /**
     * An opening handshake was answered with an HTTP response of this status instead of 101 (a rejection, or the
     * answer to a plain HTTP request). The one way to count one: {@link Counter#HANDSHAKES_REJECTED} is the sum of
     * the statuses.
     */
    void handshakeRejected(int status) {
        increment(Counter.HANDSHAKES_REJECTED);
        httpResponses.add(status);
    }

    /** The status of {@code HTTP/1.1 NNN ...}, or 0 if the bytes are not a status line. */
    static int status(byte[] response) {
        if (response.length < 12 || response[8] != ' ') {
            return 0;
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            if (response[i] < '0' || response[i] > '9') {
                return 0;
            }
            status = status * 10 + response[i] - '0';
        }
        return status;
    }

    /** Called by the reactor thread; the mirror is written only for a figure that changed. */
    void publish() {
        closeCodes.publish();
        httpResponses.publish();
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
        return new ServerStats(copy, closeCodes.published(), httpResponses.published());
    }
}
