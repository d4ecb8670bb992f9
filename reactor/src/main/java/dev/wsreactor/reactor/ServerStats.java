package dev.wsreactor.reactor;

import java.util.Arrays;
import java.util.Map;

/**
 * A snapshot of a server's counters since it started, as of the end of the reactor's last loop iteration:
 * {@link #get} reads any {@link Counter}; the named accessors read the ones they are named after.
 */
public final class ServerStats {

    private final long[] values;
    private final Map<Integer, Long> closeCodes;

    ServerStats(long[] values, Map<Integer, Long> closeCodes) {
        this.values = values;
        this.closeCodes = closeCodes;
    }

    /** The figure of this counter (see {@link Counter#description()}). */
    public long get(Counter counter) {
        return values[counter.ordinal()];
    }

    /** How many sessions closed with each code (1000, 1001, 1006, ...), in code order. */
    public Map<Integer, Long> closeCodes() {
        return closeCodes;
    }

    public int connectionsOpen() {
        return (int) get(Counter.CONNECTIONS_OPEN);
    }

    public long connectionsAccepted() {
        return get(Counter.CONNECTIONS_ACCEPTED);
    }

    public long sessionsOpen() {
        return get(Counter.SESSIONS_OPEN);
    }

    public long handshakesRejected() {
        return get(Counter.HANDSHAKES_REJECTED);
    }

    public long messagesReceived() {
        return get(Counter.MESSAGES_RECEIVED);
    }

    public long messagesSent() {
        return get(Counter.MESSAGES_SENT);
    }

    public long bytesRead() {
        return get(Counter.BYTES_READ);
    }

    public long bytesWritten() {
        return get(Counter.BYTES_WRITTEN);
    }

    public long protocolErrors() {
        return get(Counter.PROTOCOL_ERRORS);
    }

    public long slowConsumersClosed() {
        return get(Counter.SLOW_CONSUMERS_CLOSED);
    }

    public long handlerErrors() {
        return get(Counter.HANDLER_ERRORS);
    }

    public long acceptErrors() {
        return get(Counter.ACCEPT_ERRORS);
    }

    public long tlsHandshakes() {
        return get(Counter.TLS_HANDSHAKES);
    }

    public long tlsFailures() {
        return get(Counter.TLS_FAILURES);
    }

    public long tlsTaskNanos() {
        return get(Counter.TLS_TASK_NANOS);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerStats that && Arrays.equals(values, that.values)
                && closeCodes.equals(that.closeCodes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + closeCodes.hashCode();
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
