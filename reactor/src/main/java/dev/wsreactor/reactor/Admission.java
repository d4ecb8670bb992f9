package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.util.function.IntSupplier;

/**
 * The server-wide caps on who may connect, checked first at every opening handshake: above the connection limit
 * the answer is 503. It reads the server's own count, all its reactors together, on the reactor thread that runs
 * the handshake.
 */
final class Admission implements HandshakePolicy {

    private final int maxConnections;
    private final IntSupplier openConnections;

    Admission(int maxConnections, IntSupplier openConnections) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.openConnections = openConnections;
    }

    @Override
    public HandshakeRejection check(HttpRequest request) {
        return openConnections.getAsInt() > maxConnections
                ? HandshakeRejection.of(HttpStatus.SERVICE_UNAVAILABLE, "the server is at its connection limit")
                : null;
    }
}
