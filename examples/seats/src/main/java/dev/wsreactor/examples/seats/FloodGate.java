package dev.wsreactor.examples.seats;

import java.util.concurrent.TimeUnit;

/**
 * Admits at most {@code limit} messages in any one-second window: it remembers when the last {@code limit} were
 * admitted, and refuses a message that arrives within a second of the oldest of them. Not thread-safe; each
 * session has its own, used on the reactor thread.
 */
final class FloodGate {

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(1);

    private final long[] admitted;
    private int next;
    private int count;

    FloodGate(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.admitted = new long[limit];
    }

    /** Whether a message arriving at {@code now} (System.nanoTime) is within the limit; if so it is counted. */
    boolean admit(long now) {
        if (count == admitted.length && now - admitted[next] < WINDOW) {
            return false;
        }
        admitted[next] = now;
        next = (next + 1) % admitted.length;
        count = Math.min(count + 1, admitted.length);
        return true;
    }
}
