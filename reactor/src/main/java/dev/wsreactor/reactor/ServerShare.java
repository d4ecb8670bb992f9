package dev.wsreactor.reactor;

/**
 * What one admitted connection counts for in the server-wide figures: its place among the connections and, until
 * its handshake is over, among the handshaking ones ({@link ServerLimits}), and its output in the loop's
 * {@link Counter#QUEUED_BYTES}, which the {@link OutputBudget} adds up. Taken when the socket is admitted, each
 * part given back exactly once. Belongs to the loop's thread (the limits it updates are atomic).
 */
final class ServerShare {

    private final ServerLimits limits;
    private final Counters counters;
    private boolean handshaking = true;
    private boolean closed;
    private long output;

    /** Takes over the place {@link ServerLimits#admit} reserved. */
    ServerShare(ServerLimits limits, Counters counters) {
        this.limits = limits;
        this.counters = counters;
        counters.increment(Counter.CONNECTIONS_HANDSHAKING);
    }

    /** The connection is past its opening handshake (opened, refused or failed): it no longer counts as one. */
    void handshakeOver() {
        if (handshaking) {
            handshaking = false;
            limits.handshakeOver();
            counters.decrement(Counter.CONNECTIONS_HANDSHAKING);
        }
    }

    boolean handshaking() {
        return handshaking;
    }

    /** The connection holds this many bytes of output of its own now. */
    void output(long owned) {
        if (owned != output) {
            counters.add(Counter.QUEUED_BYTES, owned - output);
            output = owned;
        }
    }

    /** The output as last counted. */
    long output() {
        return output;
    }

    /** The socket is closed: everything is given back. */
    void giveBack() {
        if (!closed) {
            closed = true;
            handshakeOver();
            output(0);
            limits.connectionClosed();
        }
    }
}
