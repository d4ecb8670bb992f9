package dev.wsreactor.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LagHistogramTest {

    @Test
    void everyValueFallsInABucketThatHoldsItWithinAnEighth() {
        int previous = -1;
        for (long value = 0; value < 1_000_000; value += 1 + value / 50) {
            int index = LagHistogram.index(value);
            long upper = LagHistogram.upperEnd(index);
            assertTrue(index >= previous, "buckets rise with the value at " + value);
            assertTrue(upper >= value && upper <= value + value / 8 + 1, value + " -> " + upper);
            previous = index;
        }
        assertEquals(Long.MAX_VALUE, LagHistogram.upperEnd(LagHistogram.index(Long.MAX_VALUE)));
    }

    @Test
    void quantilesOfOneToAThousand() {
        LagHistogram lags = new LagHistogram();
        for (long lag = 1000; lag >= 1; lag--) {
            lags.record(lag);
        }
        assertEquals(1000, lags.count());
        assertEquals(500_500, lags.sumNanos());
        assertEquals(1, lags.lastNanos());
        assertEquals(1000, lags.maxNanos());
        long median = lags.quantileNanos(0.5);
        long p99 = lags.quantileNanos(0.99);
        assertTrue(median >= 500 && median <= 500 + 500 / 8, "median " + median);
        assertTrue(p99 >= 990 && p99 <= 1000, "p99 " + p99 + " (at most the largest)");
        assertEquals(1, lags.quantileNanos(0));
    }

    @Test
    void aNegativeLagCountsAsNoneAndAnEmptyHistogramSaysZero() {
        LagHistogram lags = new LagHistogram();
        assertEquals(0, lags.quantileNanos(0.99));
        lags.record(-5);
        assertEquals(0, lags.maxNanos());
        assertEquals(1, lags.count());
        assertThrows(IllegalArgumentException.class, () -> lags.quantileNanos(1.5));
    }
}
