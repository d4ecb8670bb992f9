package dev.wsreactor.bus;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The lags a bus measured, from publishing to the listener's start: the last, the largest, their count and sum, and
 * a log-linear histogram (eight buckets per power of two, so a quantile is within 12.5% above the true value) for
 * the median and the 99th percentile. Lock-free and fixed in size (488 counters); any thread may record.
 */
public final class LagHistogram {

    private static final int SUB_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int BUCKETS = SUB_BUCKETS + (63 - SUB_BITS) * SUB_BUCKETS;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();
    private final AtomicLong maxNanos = new AtomicLong();
    private volatile long lastNanos;

    /** An empty histogram. */
    public LagHistogram() {
    }

    /**
     * Records one lag.
     *
     * @param lagNanos the lag in nanoseconds; a negative one (a receiver's clock behind the publisher's) counts as 0
     */
    public void record(long lagNanos) {
        long lag = Math.max(0, lagNanos);
        lastNanos = lag;
        maxNanos.accumulateAndGet(lag, Math::max);
        sumNanos.addAndGet(lag);
        buckets.incrementAndGet(index(lag));
        count.incrementAndGet();
    }

    /** {@return the last lag recorded, in nanoseconds (0 before the first)} */
    public long lastNanos() {
        return lastNanos;
    }

    /** {@return the largest lag recorded, in nanoseconds} */
    public long maxNanos() {
        return maxNanos.get();
    }

    /** {@return how many lags were recorded} */
    public long count() {
        return count.get();
    }

    /** {@return the sum of the lags recorded, in nanoseconds} */
    public long sumNanos() {
        return sumNanos.get();
    }

    /**
     * The lag that this fraction of the recorded ones do not exceed, as its bucket's upper end (at most the largest).
     *
     * @param quantile from 0 to 1: 0.5 for the median, 0.99 for the 99th percentile
     * @return the lag in nanoseconds, 0 when nothing was recorded
     */
    public long quantileNanos(double quantile) {
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("a quantile is between 0 and 1, not " + quantile);
        }
        long total = 0;
        long[] snapshot = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = buckets.get(i);
            total += snapshot[i];
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Math.min(upperEnd(i), maxNanos.get());
            }
        }
        return 0;
    }

    /** Values below 8 have a bucket each; above, each power of two is cut into eight equal buckets. */
    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = (int) (value >>> (exponent - SUB_BITS)) - SUB_BUCKETS;
        return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
    }

    /** The largest value that falls in the bucket. */
    static long upperEnd(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        long sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        long lower = (SUB_BUCKETS + sub) << shift;
        long upper = lower + (1L << shift) - 1;
        return upper < 0 ? Long.MAX_VALUE : upper;
    }
}
