package dev.wsreactor.bus;

/**
 * A bus's counters.
 *
 * @param published messages published through this bus and handed on
 * @param received messages this bus received for its subscribers (once per message, whatever the number of
 *     subscribers)
 * @param failed publishes that failed (bus closed, broker unreachable, queue full)
 * @param reconnects times a bus over a broker connected again after losing the broker (0 in process)
 * @param connected whether the bus can publish now (a bus over a broker: connected to it)
 * @param lastLagNanos from publishing to the listener's start, for the last delivery, in nanoseconds (across nodes
 *     this rests on the nodes' clocks agreeing)
 * @param maxLagNanos the largest such lag so far
 * @param lagCount how many deliveries the lags were measured on
 * @param lagSumNanos the lags' sum, in nanoseconds (with the count, the mean)
 * @param lagP50Nanos the median lag so far, within 12.5% ({@link LagHistogram})
 * @param lagP99Nanos the 99th percentile of the lag so far, likewise
 */
public record BusStats(long published, long received, long failed, long reconnects, boolean connected,
        long lastLagNanos, long maxLagNanos, long lagCount, long lagSumNanos, long lagP50Nanos, long lagP99Nanos) {

    /**
     * Counters without the lag's distribution (its count, sum and quantiles are 0).
     *
     * @param published as in the record
     * @param received as in the record
     * @param failed as in the record
     * @param reconnects as in the record
     * @param connected as in the record
     * @param lastLagNanos as in the record
     * @param maxLagNanos as in the record
     */
    public BusStats(long published, long received, long failed, long reconnects, boolean connected,
            long lastLagNanos, long maxLagNanos) {
        this(published, received, failed, reconnects, connected, lastLagNanos, maxLagNanos, 0, 0, 0, 0);
    }

    /**
     * Counters with the lags of a histogram.
     *
     * @param published as in the record
     * @param received as in the record
     * @param failed as in the record
     * @param reconnects as in the record
     * @param connected as in the record
     * @param lag the lags measured so far
     * @return the counters
     */
    public static BusStats of(long published, long received, long failed, long reconnects, boolean connected,
            LagHistogram lag) {
        return new BusStats(published, received, failed, reconnects, connected, lag.lastNanos(), lag.maxNanos(),
                lag.count(), lag.sumNanos(), lag.quantileNanos(0.5), lag.quantileNanos(0.99));
    }
}
