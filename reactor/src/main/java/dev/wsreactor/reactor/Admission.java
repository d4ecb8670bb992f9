package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpStatus;

/**
 * The server-wide caps on who may connect, checked first at every opening handshake: above the connection limit
 * the answer is 503. It reads the server's own count, on the reactor thread, where every handshake runs.
 */
final class Admission implements HandshakePolicy {

    private final int maxConnections;
    private final Counters counters;

    Admission(int maxConnections, Counters counters) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.counters = counters;
    }

    @Override
    public HandshakeRejection check(HttpRequest request) {
        return counters.get(Counter.CONNECTIONS_OPEN) > maxConnections
                ? HandshakeRejection.of(HttpStatus.SERVICE_UNAVAILABLE, "the server is at its connection limit")
                : null;
    }
}
