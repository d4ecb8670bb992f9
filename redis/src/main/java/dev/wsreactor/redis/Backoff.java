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
        long ceiling = attempts >= 62 ? maxNanos : Math.min(maxNanos, minNanos << Math.min(attempts, 62));
        if (ceiling < 0) {
            ceiling = maxNanos;
        }
        attempts++;
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    /** Connected again: the next loss starts from the minimum. */
    void reset() {
        attempts = 0;
    }
}
