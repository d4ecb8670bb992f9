package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the builder collected, checked together and fixed for the server's lifetime. This is the one place
 * where the connections' settings are put together (the handshake's checks, the connection limits, timers and
 * compression), and where the server-wide {@link ServerLimits} are made: one per server, for every reactor.
 */
final class ServerSettings {

    /** Where to listen. */
    final InetSocketAddress address;
    /** The listen backlog. */
    final int backlog;
    /** How many reactors (loops, each on its own thread) serve the connections; at least one. */
    final int reactors;
    /** Whether several reactors listen with one socket each ({@code SO_REUSEPORT}) where the platform can. */
    final boolean reusePort;
    /** Each connection's limits, timers, compression and handshake settings (with the admission check). */
    final ConnectionConfig connection;
    /** The application's catch-all WebSocket handler (null when only routes serve), or a client's. */
    final WebSocketHandler handler;
    /** The routes and authenticators a valid request goes through. */
    final HandshakeGate gate;
    /** Answers plain HTTP requests. */
    final HttpHandler httpHandler;
    /** A connection whose output fell to this many queued bytes is read from again. */
    final long lowWaterMark;
    /** A connection with more queued output than this is not read from (its peer is slow). */
    final long highWaterMark;
    /** A connection with more queued output than this is closed with 1008 (a slow consumer). */
    final long maxQueuedBytes;
    /** A connection whose queued output stays above the high-water mark this long is closed with 1008. */
    final long slowConsumerTimeoutNanos;
    /** The caps that hold for the server as a whole (connections, handshakes, output) and their counts. */
    final ServerLimits limits;
    /** The size of the pooled direct buffers outgoing frames are written into. */
    final int outputBufferSize;
    /** How long a graceful shutdown waits for the peers' Close replies. */
    final Duration shutdownGrace;
    /** Receives trace lines (state transitions and frames) of every connection, or null. */
    final Consumer<String> trace;
    /** Whether the reactor thread is a daemon thread. */
    final boolean daemon;
    /** Whether to register the server's statistics with the platform MBean server. */
    final boolean registerMBean;
    /** Where handler calls run instead of the reactor thread, or null (see {@link OffloadedHandler}). */
    final Executor handlerExecutor;
    /** How to speak TLS ({@code wss://}), or null for plain TCP ({@code ws://}). */
    final TlsSettings tls;
    /** The proxies in front of the server: whose headers are believed, and whether a PROXY header comes first. */
    final ProxySettings proxies;

    /** Reads the builder's settings (a client's, which serves no metrics). */
    ServerSettings(WebSocketServer.Builder builder) {
        this(builder, null);
    }

    /** Reads the builder's settings; {@code stats} gives the figures a metrics endpoint serves. */
    ServerSettings(WebSocketServer.Builder builder, Supplier<ServerStats> stats) {
        if (builder.handler == null && builder.routes.isEmpty()) {
            throw new IllegalStateException("a handler or a route is required");
        }
        if (builder.lowWaterMark > builder.highWaterMark || builder.highWaterMark > builder.maxQueuedBytes) {
            throw new IllegalArgumentException("need lowWaterMark <= highWaterMark <= maxQueuedBytes, got "
                    + builder.lowWaterMark + ", " + builder.highWaterMark + ", " + builder.maxQueuedBytes);
        }
        if (builder.reactors < 0) {
            throw new IllegalArgumentException("reactors must be positive (or ONE_PER_PROCESSOR), got "
                    + builder.reactors);
        }
        this.limits = limits(builder);
        this.slowConsumerTimeoutNanos = positive(builder.slowConsumerTimeout, "slowConsumerTimeout").toNanos();
        this.connection = builder.connection.handshake(builder.handshake.policy(builder.hooks).build()).build();
        this.address = builder.address;
        this.backlog = builder.backlog;
        this.reactors = builder.reactors == WebSocketServer.ONE_PER_PROCESSOR
                ? Runtime.getRuntime().availableProcessors() : builder.reactors;
        this.reusePort = builder.reusePort;
        this.handler = builder.handler;
        this.gate = new HandshakeGate(builder.routes, builder.handler, builder.authenticator);
        this.httpHandler = builder.metricsPath == null || stats == null ? builder.httpHandler
                : new MetricsEndpoint(builder.metricsPath, stats, builder.httpHandler, builder.metricsBus);
        this.proxies = new ProxySettings(builder.trustedProxies, builder.proxyProtocol);
        this.lowWaterMark = builder.lowWaterMark;
        this.highWaterMark = builder.highWaterMark;
        this.maxQueuedBytes = builder.maxQueuedBytes;
        this.outputBufferSize = builder.outputBufferSize;
        this.shutdownGrace = builder.shutdownGrace;
        this.trace = builder.trace;
        this.daemon = builder.daemon;
        this.registerMBean = builder.registerMBean;
        this.handlerExecutor = builder.handlerExecutor;
        if (builder.tlsContext != null) {
            TlsSupport.protocols(builder.tlsContext); // fails here, not at start(), for a context without TLS 1.2+
            this.tls = new TlsSettings(builder.tlsContext, builder.clientAuth, builder.tlsTaskExecutor,
                    builder.certificates);
        } else {
            this.tls = null;
        }
    }

    private static ServerLimits limits(WebSocketServer.Builder builder) {
        boolean derived = builder.maxHandshaking == ServerLimits.DERIVED;
        if (builder.maxConnections <= 0 || (builder.maxHandshaking <= 0 && !derived)
                || builder.maxQueuedBytesTotal <= 0) {
            throw new IllegalArgumentException("maxConnections, maxHandshaking and maxQueuedBytesTotal must be"
                    + " positive, got " + builder.maxConnections + ", " + builder.maxHandshaking + ", "
                    + builder.maxQueuedBytesTotal);
        }
        int handshaking = derived ? ServerLimits.defaultMaxHandshaking() : builder.maxHandshaking;
        return new ServerLimits(builder.maxConnections, handshaking, builder.maxQueuedBytesTotal);
    }

    private static Duration positive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}
