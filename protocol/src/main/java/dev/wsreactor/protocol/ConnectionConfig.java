package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.time.Duration;

/**
 * The limits and timers of one connection. Immutable; the {@code with*} methods return a changed copy.
 *
 * @param maxFramePayload the largest frame payload accepted (1009 above it)
 * @param maxMessageSize the largest message accepted, all fragments together (1009 above it)
 * @param handshakeTimeout how long a client may take to send its whole opening handshake (§10.4: slowloris)
 * @param idleTimeout after this long without a byte from the peer, send a Ping; zero turns keepalive off
 * @param pongTimeout how long to wait for any byte after that keepalive Ping before failing with 1011
 * @param closeTimeout how long to wait for the peer's Close, and then for TCP to close (§7.1.1)
 * @param fragmentSize outgoing messages larger than this are split into frames of this size; 0 never splits
 * @param handshake the server's opening handshake settings (subprotocols, header size cap, policy hook)
 * @param tracer receives one line per state transition and per frame; {@link Tracer#OFF} for none
 * @param deflate permessage-deflate (RFC 7692): whether it is accepted, and how messages are compressed
 */
public record ConnectionConfig(
        long maxFramePayload,
        long maxMessageSize,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration pongTimeout,
        Duration closeTimeout,
        int fragmentSize,
        ServerHandshakeConfig handshake,
        Tracer tracer,
        DeflateConfig deflate) {

    /** 1 MiB: a safe default for a public server; raise it for large transfers. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1L << 20;

    public ConnectionConfig {
        if (maxFramePayload <= 0 || maxMessageSize <= 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
        if (fragmentSize < 0) {
            throw new IllegalArgumentException("fragmentSize must be 0 (off) or positive");
        }
    }

    public static ConnectionConfig defaults() {
        return new ConnectionConfig(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5), 0,
                ServerHandshakeConfig.defaults(), Tracer.OFF, DeflateConfig.disabled());
    }

    /** Sets both the message and the frame limit (a frame can never be larger than its message). */
    public ConnectionConfig withMaxMessageSize(long bytes) {
        return new ConnectionConfig(bytes, bytes, handshakeTimeout, idleTimeout, pongTimeout, closeTimeout,
                fragmentSize, handshake, tracer, deflate);
    }

    public ConnectionConfig withMaxFramePayload(long bytes) {
        return new ConnectionConfig(bytes, maxMessageSize, handshakeTimeout, idleTimeout, pongTimeout, closeTimeout,
                fragmentSize, handshake, tracer, deflate);
    }

    public ConnectionConfig withHandshakeTimeout(Duration timeout) {
        return new ConnectionConfig(maxFramePayload, maxMessageSize, timeout, idleTimeout, pongTimeout, closeTimeout,
                fragmentSize, handshake, tracer, deflate);
    }

    public ConnectionConfig withKeepalive(Duration idle, Duration pong) {
        return new ConnectionConfig(maxFramePayload, maxMessageSize, handshakeTimeout, idle, pong, closeTimeout,
                fragmentSize, handshake, tracer, deflate);
    }

    public ConnectionConfig withCloseTimeout(Duration timeout) {
        return new ConnectionConfig(maxFramePayload, maxMessageSize, handshakeTimeout, idleTimeout, pongTimeout, timeout,
                fragmentSize, handshake, tracer, deflate);
    }

    public ConnectionConfig withFragmentSize(int bytes) {
        return new ConnectionConfig(maxFramePayload, maxMessageSize, handshakeTimeout, idleTimeout, pongTimeout,
                closeTimeout, bytes, handshake, tracer, deflate);
    }

    public ConnectionConfig withHandshake(ServerHandshakeConfig config) {
        return new ConnectionConfig(maxFramePayload, maxMessageSize, handshakeTimeout, idleTimeout, pongTimeout,
                closeTimeout, fragmentSize, config, tracer, deflate);
    }

    public ConnectionConfig withTracer(Tracer t) {
        return new ConnectionConfig(maxFramePayload, maxMessageSize, handshakeTimeout, idleTimeout, pongTimeout,
                closeTimeout, fragmentSize, handshake, t, deflate);
    }

    /**
     * Sets the permessage-deflate settings and the handshake's negotiation with them, so the two cannot disagree
     * (the negotiator decides what the response says; the connection reads the agreement back from it).
     */
    public ConnectionConfig withDeflate(DeflateConfig settings) {
        ServerHandshakeConfig negotiating = handshake.withExtensions(offers -> PerMessageDeflate.negotiate(offers,
                settings).map(agreement -> java.util.List.of(agreement.response())).orElse(java.util.List.of()));
        return new ConnectionConfig(maxFramePayload, maxMessageSize, handshakeTimeout, idleTimeout, pongTimeout,
                closeTimeout, fragmentSize, negotiating, tracer, settings);
    }
}
