package dev.wsreactor.reactor;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a server's counters since it started, as of the end of each reactor's last loop iteration:
 * {@link #get} reads any {@link Counter}; the named accessors read the ones they are named after. A server's
 * figures are the sums of its reactors' figures, which {@link #reactors()} gives one by one.
 */
public final class ServerStats {

    private final long[] values;
    private final Map<Integer, Long> closeCodes;
    private final List<ServerStats> reactors;

    ServerStats(long[] values, Map<Integer, Long> closeCodes) {
        this(values, closeCodes, List.of());
    }

    private ServerStats(long[] values, Map<Integer, Long> closeCodes, List<ServerStats> reactors) {
        this.values = values;
        this.closeCodes = closeCodes;
        this.reactors = reactors;
    }

    /** The server's figures from its reactors' snapshots: each figure and each close code's count summed. */
    static ServerStats sum(List<ServerStats> reactors) {
        long[] total = new long[Counter.values().length];
        TreeMap<Integer, Long> codes = new TreeMap<>();
        for (ServerStats reactor : reactors) {
            for (int i = 0; i < total.length; i++) {
                total[i] += reactor.values[i];
            }
            reactor.closeCodes.forEach((code, count) -> codes.merge(code, count, Long::sum));
        }
        return new ServerStats(total, Collections.unmodifiableMap(codes), List.copyOf(reactors));
    }

    /**
     * {@return each reactor's own figures, in reactor order (one entry with a single reactor)} The figures of this
     * snapshot are their sums. Empty for a reactor's own snapshot.
     */
    public List<ServerStats> reactors() {
        return reactors;
    }

    /**
     * {@return the figure of this counter}
     *
     * @param counter the count (see {@link Counter#description()})
     */
    public long get(Counter counter) {
        return values[counter.ordinal()];
    }

    /** {@return how many sessions closed with each code (1000, 1001, 1006, ...), in code order} */
    public Map<Integer, Long> closeCodes() {
        return closeCodes;
    }

    /** {@return the figure of {@link Counter#CONNECTIONS_OPEN}} */
    public int connectionsOpen() {
        return (int) get(Counter.CONNECTIONS_OPEN);
    }

    /** {@return the figure of {@link Counter#CONNECTIONS_ACCEPTED}} */
    public long connectionsAccepted() {
        return get(Counter.CONNECTIONS_ACCEPTED);
    }

    /** {@return the figure of {@link Counter#SESSIONS_OPEN}} */
    public long sessionsOpen() {
        return get(Counter.SESSIONS_OPEN);
    }

    /** {@return the figure of {@link Counter#HANDSHAKES_REJECTED}} */
    public long handshakesRejected() {
        return get(Counter.HANDSHAKES_REJECTED);
    }

    /** {@return the figure of {@link Counter#MESSAGES_RECEIVED}} */
    public long messagesReceived() {
        return get(Counter.MESSAGES_RECEIVED);
    }

    /** {@return the figure of {@link Counter#MESSAGES_SENT}} */
    public long messagesSent() {
        return get(Counter.MESSAGES_SENT);
    }

    /** {@return the figure of {@link Counter#BYTES_READ}} */
    public long bytesRead() {
        return get(Counter.BYTES_READ);
    }

    /** {@return the figure of {@link Counter#BYTES_WRITTEN}} */
    public long bytesWritten() {
        return get(Counter.BYTES_WRITTEN);
    }

    /** {@return the figure of {@link Counter#PROTOCOL_ERRORS}} */
    public long protocolErrors() {
        return get(Counter.PROTOCOL_ERRORS);
    }

    /** {@return the figure of {@link Counter#SLOW_CONSUMERS_CLOSED}} */
    public long slowConsumersClosed() {
        return get(Counter.SLOW_CONSUMERS_CLOSED);
    }

    /** {@return the figure of {@link Counter#HANDLER_ERRORS}} */
    public long handlerErrors() {
        return get(Counter.HANDLER_ERRORS);
    }

    /** {@return the figure of {@link Counter#ACCEPT_ERRORS}} */
    public long acceptErrors() {
        return get(Counter.ACCEPT_ERRORS);
    }

    /** {@return the figure of {@link Counter#TLS_HANDSHAKES}} */
    public long tlsHandshakes() {
        return get(Counter.TLS_HANDSHAKES);
    }

    /** {@return the figure of {@link Counter#TLS_FAILURES}} */
    public long tlsFailures() {
        return get(Counter.TLS_FAILURES);
    }

    /** {@return the figure of {@link Counter#TLS_TASK_NANOS}} */
    public long tlsTaskNanos() {
        return get(Counter.TLS_TASK_NANOS);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerStats that && Arrays.equals(values, that.values)
                && closeCodes.equals(that.closeCodes) && reactors.equals(that.reactors);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(values) + closeCodes.hashCode()) + reactors.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ServerStats[");
        for (Counter counter : Counter.values()) {
            text.append(counter.attributeName()).append('=').append(get(counter)).append(", ");
        }
        return text.append("CloseCodes=").append(closeCodes).append(']').toString();
    }
}
