package dev.wsreactor.bus;

/**
 * A bus's counters.
 *
 * @param published messages published through this bus and handed on
 * @param received messages this bus received for its subscribers (once per message, whatever the number of
 *     subscribers)
 * @param failed publishes that failed (bus closed, broker unreachable)
 * @param reconnects times a bus over a broker connected again after losing the broker (0 in process)
 * @param connected whether the bus can publish now (a bus over a broker: connected to it)
 * @param lastLagNanos from publishing to receiving, for the last message received, in nanoseconds (across nodes
 *     this rests on the nodes' clocks agreeing)
 * @param maxLagNanos the largest such lag so far
 */
public record BusStats(long published, long received, long failed, long reconnects, boolean connected,
        long lastLagNanos, long maxLagNanos) {
}
