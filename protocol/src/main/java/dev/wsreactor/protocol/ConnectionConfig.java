package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The limits and timers of one connection. Immutable; made with {@link #builder()}, whose defaults are
 * {@link #defaults()}. Every setting is independent of the others; each accessor says what its setting means and
 * its default.
 */
public final class ConnectionConfig {

    /** 1 MiB: a safe default for a public server; raise it for large transfers. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1L << 20;

    /** The frame limit's default: none of its own, so only the message limit bounds a frame. */
    public static final long NO_FRAME_LIMIT = Long.MAX_VALUE;

    private static final ConnectionConfig DEFAULTS = builder().build();

    private final long frameLimit; // as set, kept for toBuilder()
    private final long maxFramePayload; // in effect: at most the message limit
    private final long maxMessageSize;
    private final Duration handshakeTimeout;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final Duration closeWhenIdle;
    private final Duration closeTimeout;
    private final int fragmentSize;
    private final ServerHandshakeConfig handshakeSettings; // as set, kept for toBuilder()
    private final ServerHandshakeConfig handshake; // as set, with the negotiator of the deflate settings
    private final Tracer tracer;
    private final DeflateConfig deflate;

    private ConnectionConfig(Builder builder) {
        this.frameLimit = builder.maxFramePayload;
        this.maxFramePayload = Math.min(builder.maxFramePayload, builder.maxMessageSize);
        this.maxMessageSize = builder.maxMessageSize;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.pingInterval = builder.pingInterval;
        this.pongTimeout = builder.pongTimeout;
        this.closeWhenIdle = builder.closeWhenIdle;
        this.closeTimeout = builder.closeTimeout;
        this.fragmentSize = builder.fragmentSize;
        this.handshakeSettings = builder.handshake;
        DeflateConfig settings = builder.deflate;
        // The negotiator decides what the 101 says; the connection reads the agreement back from it, so the two
        // cannot disagree.
        this.handshake = builder.handshake.toBuilder().extensions(offers -> PerMessageDeflate.negotiate(offers,
                settings).map(agreement -> List.of(agreement.response())).orElse(List.of())).build();
        this.tracer = builder.tracer;
        this.deflate = settings;
    }

    /** {@return every setting at its default} */
    public static ConnectionConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder with every setting at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these settings as they were set, to change some of them} */
    public Builder toBuilder() {
        return new Builder().maxFramePayload(frameLimit).maxMessageSize(maxMessageSize)
                .handshakeTimeout(handshakeTimeout).pingInterval(pingInterval).pongTimeout(pongTimeout)
                .closeWhenIdle(closeWhenIdle).closeTimeout(closeTimeout).fragmentSize(fragmentSize).handshake(handshakeSettings).tracer(tracer)
                .deflate(deflate);
    }

    /** {@return the largest message accepted, all fragments together (1009 above it)} Default 1 MiB. */
    public long maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * {@return the largest frame payload accepted (1009 above it), as in effect: the one set, or the message limit
     * where that is smaller} (See {@link Builder#build()}.) Set by default: {@link #NO_FRAME_LIMIT}, so only the
     * message limit bounds a frame.
     */
    public long maxFramePayload() {
        return maxFramePayload;
    }

    /** {@return how long a client may take to send its whole opening handshake (§10.4: slowloris)} Default 10 s. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return how long to wait for the peer's Close, and then for TCP to close (§7.1.1)} Default 5 s. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Keepalive: after this long without a byte from the peer, send a Ping; zero turns keepalive off. Default 30 s.
     *
     * @return the ping interval
     */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * The keepalive Ping interval, under its old name.
     *
     * @return {@link #pingInterval()}
     * @deprecated it never closed an idle connection; use {@link #pingInterval()}, and {@link #closeWhenIdle()}
     *     for a real idle close
     */
    @Deprecated
    public Duration idleTimeout() {
        return pingInterval;
    }

    /**
     * After this long without a message in either direction (Pings and Pongs do not count), the connection is
     * closed with 1001 Going Away "idle timeout"; zero (the default) never closes an idle connection.
     *
     * @return the idle time
     */
    public Duration closeWhenIdle() {
        return closeWhenIdle;
    }

    /** {@return how long to wait for any byte after that keepalive Ping before failing with 1011} Default 30 s. */
    public Duration pongTimeout() {
        return pongTimeout;
    }

    /** {@return what receives one line per state transition and per frame} Default {@link Tracer#OFF}. */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * {@return the server's opening handshake settings (subprotocols, header size cap, policy hook) as set, with the
     * extension negotiator that {@link #deflate()} implies}
     */
    public ServerHandshakeConfig handshake() {
        return handshake;
    }

    /** {@return the frame size outgoing messages larger than it are split into; 0 (the default) never splits} */
    public int fragmentSize() {
        return fragmentSize;
    }

    /**
     * {@return the permessage-deflate settings (RFC 7692): whether it is accepted, and how messages are compressed}
     * Default {@link DeflateConfig#defaults()}: on, as browsers expect.
     */
    public DeflateConfig deflate() {
        return deflate;
    }

    /** Named settings, each independent of the others; {@link #build()} checks them. */
    public static final class Builder {

        private long maxFramePayload = NO_FRAME_LIMIT;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration pongTimeout = Duration.ofSeconds(30);
        private Duration closeWhenIdle = Duration.ZERO;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int fragmentSize;
        private ServerHandshakeConfig handshake = ServerHandshakeConfig.defaults();
        private Tracer tracer = Tracer.OFF;
        private DeflateConfig deflate = DeflateConfig.defaults();

        private Builder() {
        }

        /**
         * Sets the largest message accepted, all fragments together (1009 above it).
         *
         * @param bytes the limit, positive
         * @return this builder
         */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Sets the largest frame payload accepted (1009 above it); {@link #build()} lowers it to the message limit.
         *
         * @param bytes the limit, positive
         * @return this builder
         */
        public Builder maxFramePayload(long bytes) {
            this.maxFramePayload = bytes;
            return this;
        }

        /**
         * Sets how long a client may take to send its whole opening handshake.
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
            return this;
        }

        /**
         * Sends a keepalive Ping after this long without a byte from the peer; zero turns keepalive off.
         *
         * @param interval the silence before a Ping (default 30 s)
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = Objects.requireNonNull(interval, "pingInterval");
            return this;
        }

        /**
         * The keepalive Ping interval, under its old name: forwards to {@link #pingInterval(Duration)}.
         *
         * @param idle the silence before a Ping
         * @return this builder
         * @deprecated it never closed an idle connection; use {@link #pingInterval(Duration)}, and
         *     {@link #closeWhenIdle(Duration)} for a real idle close
         */
        @Deprecated
        public Builder idleTimeout(Duration idle) {
            return pingInterval(idle);
        }

        /**
         * Closes the connection with 1001 Going Away after this long without a message either way.
         *
         * @param idle the idle time; zero (the default) turns it off
         * @return this builder
         */
        public Builder closeWhenIdle(Duration idle) {
            this.closeWhenIdle = Objects.requireNonNull(idle, "closeWhenIdle");
            return this;
        }

        /**
         * Sets how long to wait for any byte after a keepalive Ping before failing with 1011.
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder pongTimeout(Duration timeout) {
            this.pongTimeout = Objects.requireNonNull(timeout, "pongTimeout");
            return this;
        }

        /**
         * Sets how long to wait for the peer's Close, and then for TCP to close.
         *
         * @param timeout the time allowed for each
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
            return this;
        }

        /**
         * Sets the frame size outgoing messages larger than it are split into.
         *
         * @param bytes the size; 0 never splits
         * @return this builder
         */
        public Builder fragmentSize(int bytes) {
            this.fragmentSize = bytes;
            return this;
        }

        /**
         * Sets the handshake settings; their extension negotiator is the connection's to set, from {@link #deflate}.
         *
         * @param config the handshake settings
         * @return this builder
         */
        public Builder handshake(ServerHandshakeConfig config) {
            this.handshake = Objects.requireNonNull(config, "handshake");
            return this;
        }

        /**
         * Sets what receives the trace lines.
         *
         * @param t the tracer; {@link Tracer#OFF} for none
         * @return this builder
         */
        public Builder tracer(Tracer t) {
            this.tracer = Objects.requireNonNull(t, "tracer");
            return this;
        }

        /**
         * Sets the permessage-deflate settings.
         *
         * @param settings the settings; {@link DeflateConfig#disabled()} for none
         * @return this builder
         */
        public Builder deflate(DeflateConfig settings) {
            this.deflate = Objects.requireNonNull(settings, "deflate");
            return this;
        }

        /**
         * Checks the settings and makes the config. The one place where one setting bounds another: a frame is
         * part of a message, so the frame limit in effect is the smaller of the two limits (a frame limit above the
         * message limit is clamped to it rather than refused, so that raising or lowering only the message limit,
         * the usual need, works alone, in any order of the calls).
         *
         * @return the config
         * @throws IllegalArgumentException if a setting cannot work
         */
        public ConnectionConfig build() {
            if (maxFramePayload <= 0 || maxMessageSize <= 0) {
                throw new IllegalArgumentException("size limits must be positive, got maxFramePayload "
                        + maxFramePayload + " and maxMessageSize " + maxMessageSize);
            }
            if (pingInterval.isNegative() || closeWhenIdle.isNegative()) {
                throw new IllegalArgumentException("pingInterval and closeWhenIdle must be zero (off) or positive");
            }
            if (fragmentSize < 0) {
                throw new IllegalArgumentException("fragmentSize must be 0 (off) or positive, got " + fragmentSize);
            }
            if (handshake.extensions() != ServerHandshakeConfig.NO_EXTENSIONS) {
                throw new IllegalArgumentException("a connection negotiates the extensions its deflate settings"
                        + " allow; the handshake settings must not bring a negotiator of their own");
            }
            return new ConnectionConfig(this);
        }
    }
}
