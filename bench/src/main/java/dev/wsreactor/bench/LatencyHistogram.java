package dev.wsreactor.bench;

/**
 * Latencies in a fixed, allocation-free histogram: log-linear buckets (16 per power of two) from 1 µs to about
 * 68 s, so percentiles are exact to within 1/16 of their value, like HdrHistogram at low precision.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 16;
    private static final int POWERS = 27;
    private final long[] counts = new long[POWERS * SUB_BUCKETS];
    private long total;

    void record(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int power = 63 - Long.numberOfLeadingZeros(micros);
        int index;
        if (power < 4) {
            index = (int) micros; // 1..15 µs: exact
        } else {
            int sub = (int) ((micros >>> (power - 4)) & (SUB_BUCKETS - 1));
            index = Math.min(counts.length - 1, (power - 3) * SUB_BUCKETS + sub);
        }
        counts[index]++;
        total++;
    }

    long count() {
        return total;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    /** The latency in µs below which this fraction of the samples lie (the upper edge of its bucket). */
    double percentile(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(counts.length - 1);
    }

    private static double upperEdge(int index) {
        if (index < SUB_BUCKETS) {
            return index + 1;
        }
        int power = index / SUB_BUCKETS + 3;
        int sub = index % SUB_BUCKETS;
        return (double) ((SUB_BUCKETS + sub + 1L) << (power - 4));
    }
}
