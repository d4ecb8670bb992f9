package dev.wsreactor.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter between reconnection attempts: the n-th delay is drawn from the upper half of
 * {@code min * 2^n} (capped at max), so nodes that lost Redis together do not all come back in the same instant.
 * One per connection, used by its one thread.
 */
final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private int attempts;

    Backoff(Duration min, Duration max) {
        this.minNanos = Math.max(1, min.toNanos());
        this.maxNanos = Math.max(minNanos, max.toNanos());
    }

    /** {@return the delay before the next attempt, in nanoseconds; each call doubles the next one's ceiling} */
    long nextDelayNanos() {
        // past this many doublings min << attempts would overflow, and max was reached long before
        boolean capped = attempts >= Long.numberOfLeadingZeros(minNanos) - 1;
        long ceiling = capped ? maxNanos : Math.min(maxNanos, minNanos << attempts);
        if (!capped) {
            attempts++;
        }
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    /** Connected again: the next loss starts from the minimum. */
    void reset() {
        attempts = 0;
    }
}
