package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000;

    @Test
    void eachWaitIsInTheUpperHalfOfADoublingCeilingCappedAtTheMost() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            long delay = backoff.nextDelayNanos();
            assertTrue(delay >= ceiling * MS / 2 && delay <= ceiling * MS, delay + " ns for a ceiling of " + ceiling);
        }
        backoff.reset();
        long afterReset = backoff.nextDelayNanos();
        assertTrue(afterReset <= 100 * MS, "starts from the least again: " + afterReset);
    }

    @Test
    void theJitterSpreadsTheWaits() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < 200; i++) {
            long delay = backoff.nextDelayNanos();
            least = Math.min(least, delay);
            most = Math.max(most, delay);
        }
        assertTrue(most - least > 100 * MS, "200 draws spread over the half second: " + least + ".." + most);
    }

    @Test
    void manyFailuresNeverOverflowTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMinutes(1));
        for (int i = 0; i < 200; i++) {
            long delay = backoff.nextDelayNanos();
            assertTrue(delay > 0 && delay <= Duration.ofMinutes(1).toNanos(), "attempt " + i + ": " + delay);
        }
    }
}
