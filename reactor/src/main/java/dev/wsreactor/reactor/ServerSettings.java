package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Everything the builder collected, checked together and fixed for the server's lifetime. This is the one place
 * where the connections' settings are put together: the handshake's checks (the server's {@link Admission} first,
 * then the application's hooks) and the connection limits, timers and compression.
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
    /** The application's WebSocket handler. */
    final WebSocketHandler handler;
    /** Answers plain HTTP requests. */
    final HttpHandler httpHandler;
    /** A connection whose output fell to this many queued bytes is read from again. */
    final long lowWaterMark;
    /** A connection with more queued output than this is not read from (its peer is slow). */
    final long highWaterMark;
    /** A connection with more queued output than this is closed with 1008 (a slow consumer). */
    final long maxQueuedBytes;
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
    /** How to speak TLS ({@code wss://}), or null for plain TCP ({@code ws://}). */
    final TlsSettings tls;

    /**
     * Reads the builder's settings; {@code openConnections} is the server's count of open TCP connections, all its
     * reactors together, which the admission check reads.
     */
    ServerSettings(WebSocketServer.Builder builder, IntSupplier openConnections) {
        if (builder.handler == null) {
            throw new IllegalStateException("a handler is required");
        }
        if (builder.lowWaterMark > builder.highWaterMark || builder.highWaterMark > builder.maxQueuedBytes) {
            throw new IllegalArgumentException("need lowWaterMark <= highWaterMark <= maxQueuedBytes, got "
                    + builder.lowWaterMark + ", " + builder.highWaterMark + ", " + builder.maxQueuedBytes);
        }
        if (builder.reactors < 0) {
            throw new IllegalArgumentException("reactors must be positive (or ONE_PER_PROCESSOR), got "
                    + builder.reactors);
        }
        Admission admission = new Admission(builder.maxConnections, openConnections);
        this.connection = builder.connection
                .handshake(builder.handshake.policy(admission.and(builder.hooks)).build())
                .build();
        this.address = builder.address;
        this.backlog = builder.backlog;
        this.reactors = builder.reactors == WebSocketServer.ONE_PER_PROCESSOR
                ? Runtime.getRuntime().availableProcessors() : builder.reactors;
        this.reusePort = builder.reusePort;
        this.handler = builder.handler;
        this.httpHandler = builder.httpHandler;
        this.lowWaterMark = builder.lowWaterMark;
        this.highWaterMark = builder.highWaterMark;
        this.maxQueuedBytes = builder.maxQueuedBytes;
        this.outputBufferSize = builder.outputBufferSize;
        this.shutdownGrace = builder.shutdownGrace;
        this.trace = builder.trace;
        this.daemon = builder.daemon;
        this.registerMBean = builder.registerMBean;
        if (builder.tlsContext != null) {
            TlsSupport.protocols(builder.tlsContext); // fails here, not at start(), for a context without TLS 1.2+
            this.tls = new TlsSettings(builder.tlsContext, builder.clientAuth, builder.tlsTaskExecutor);
        } else {
            this.tls = null;
        }
    }
}
