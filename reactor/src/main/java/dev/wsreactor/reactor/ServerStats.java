package dev.wsreactor.reactor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a server's counters since it started, as of the end of each reactor's last loop iteration:
 * {@link #get} reads any {@link Counter}; the named accessors read the ones they are named after. A server's
 * figures are the sums of its reactors' figures, which {@link #reactors()} gives one by one.
 */
public final class ServerStats {

    private final long[] values;
    private final Map<Integer, Long> closeCodes;
    private final Map<Integer, Long> httpResponses;
    private final List<ServerStats> reactors;

    ServerStats(long[] values, Map<Integer, Long> closeCodes, Map<Integer, Long> httpResponses) {
        this(values, closeCodes, httpResponses, List.of());
    }

    private ServerStats(long[] values, Map<Integer, Long> closeCodes, Map<Integer, Long> httpResponses,
            List<ServerStats> reactors) {
        this.values = values;
        this.closeCodes = closeCodes;
        this.httpResponses = httpResponses;
        this.reactors = reactors;
    }

    /** The server's figures from its reactors' snapshots: each figure and each close code's count summed. */
    static ServerStats sum(List<ServerStats> reactors) {
        long[] total = new long[Counter.values().length];
        for (ServerStats reactor : reactors) {
            for (int i = 0; i < total.length; i++) {
                total[i] += reactor.values[i];
            }
        }
        return new ServerStats(total, CountsByCode.sum(reactors.stream().map(r -> r.closeCodes).toList()),
                CountsByCode.sum(reactors.stream().map(r -> r.httpResponses).toList()), List.copyOf(reactors));
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

    /**
     * How many opening handshakes were answered with another HTTP status than 101, by status, in status order:
     * rejections (400, 403, 404, 426, 431, ...) and the answers to plain HTTP requests (200 for a page or the
     * metrics, 426 by default). Their sum is {@link Counter#HANDSHAKES_REJECTED}.
     *
     * @return the count of each status
     */
    public Map<Integer, Long> httpResponses() {
        return httpResponses;
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
                && closeCodes.equals(that.closeCodes) && httpResponses.equals(that.httpResponses)
                && reactors.equals(that.reactors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(values), closeCodes, httpResponses, reactors);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ServerStats[");
        for (Counter counter : Counter.values()) {
            text.append(counter.attributeName()).append('=').append(get(counter)).append(", ");
        }
        text.append("CloseCodes=").append(closeCodes).append(", HttpResponses=").append(httpResponses);
        return text.append(']').toString();
    }
}
