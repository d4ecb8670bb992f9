package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.Opcode;
import dev.wsreactor.protocol.internal.Utf8Encoder;
import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.management.ObjectName;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket server: one reactor thread serving every connection, or with {@link Builder#reactors(int)} several,
 * each serving its share.
 *
 * <pre>{@code
 * try (WebSocketServer server = WebSocketServer.builder()
 *         .bind("127.0.0.1", 9001)
 *         .handler(new WebSocketHandler() {
 *             public void onText(Session session, String text) {
 *                 session.sendText(text);
 *             }
 *         })
 *         .build()
 *         .start()) {
 *     server.broadcast("hello, everyone");
 *     ...
 * }
 * }</pre>
 *
 * <p>Every method is safe from any thread. {@link #close()} is a graceful shutdown: stop accepting, send 1001
 * Going Away to every session, wait for their Close replies (bounded by the shutdown grace period), then stop.
 */
public final class WebSocketServer implements AutoCloseable {

    /** For {@link Builder#reactors(int)}: one reactor per processor the JVM sees. */
    public static final int ONE_PER_PROCESSOR = 0;

    private final ReactorGroup reactors = new ReactorGroup();
    private final ServerSettings settings;
    private List<ObjectName> mbeanNames = List.of();

    private WebSocketServer(Builder builder) {
        this.settings = new ServerSettings(builder);
    }

    /** {@return a builder with every setting at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port (failing here if it is taken) and starts the reactor threads.
     *
     * @return this server, running
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public synchronized WebSocketServer start() {
        try {
            reactors.start(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.address, e);
        }
        if (settings.registerMBean) {
            mbeanNames = StatsMBean.registerServer(port(), reactors.size(), this::stats);
        }
        return this;
    }

    /** {@return the address the server listens on (with the real port when the builder asked for port 0)} */
    public InetSocketAddress address() {
        return reactors.address();
    }

    /** {@return the port the server listens on (the real one when the builder asked for port 0)} */
    public int port() {
        return address().getPort();
    }

    /** {@return how many reactors serve the connections (see {@link Builder#reactors(int)})} */
    public int reactors() {
        return settings.reactors;
    }

    /**
     * Sends a text message to every open session. The frame is encoded once and the same bytes are queued to every
     * session, one task per reactor.
     *
     * @param text the message
     * @return completes with the number of sessions it was queued to
     */
    public CompletableFuture<Integer> broadcast(String text) {
        return broadcast(text, null);
    }

    /**
     * Sends a text message to every open session the filter accepts. The filter runs on each session's reactor
     * thread: with several reactors, on several threads at once.
     *
     * @param text the message
     * @param filter which sessions get it; {@code null} for all
     * @return completes with the number of sessions it was queued to
     */
    public CompletableFuture<Integer> broadcast(String text, Predicate<Session> filter) {
        ByteBuffer payload = ByteBuffer.allocate(Utf8Encoder.encodedLength(text));
        Utf8Encoder.encode(text, payload);
        return reactors.broadcast(Opcode.TEXT, payload.flip(), filter);
    }

    /**
     * Sends a binary message to every open session the filter accepts.
     *
     * @param data the message: the buffer's remaining bytes, consumed
     * @param filter which sessions get it; {@code null} for all
     * @return completes with the number of sessions it was queued to
     */
    public CompletableFuture<Integer> broadcastBinary(ByteBuffer data, Predicate<Session> filter) {
        return reactors.broadcast(Opcode.BINARY, data, filter);
    }

    /** {@return the open sessions (a copy, made on each reactor thread)} With several reactors, not from a handler. */
    public List<Session> sessions() {
        return reactors.sessions();
    }

    /**
     * {@return the server's counters, as of the end of each reactor's last loop iteration: the sums of every reactor's
     * figures, which {@link ServerStats#reactors()} gives one by one}
     */
    public ServerStats stats() {
        return reactors.stats();
    }

    /** TLS ciphertext buffers held by connections, as counted on the reactor threads (for tests and tools). */
    long tlsBuffersInUse() {
        return reactors.tlsBuffersInUse();
    }

    /** How connections reach the reactors (for tests and tools). */
    ListeningSockets.Mode acceptMode() {
        return reactors.mode();
    }

    /**
     * Runs a task on the (first) reactor thread, in order with the sessions' sends from the calling thread to sessions
     * of that reactor. {@link Session#execute} runs one on a given session's reactor.
     *
     * @param task the task
     * @return false once the reactor has stopped (the task will not run)
     */
    public boolean execute(Runnable task) {
        return reactors.execute(task);
    }

    /**
     * Graceful shutdown of every reactor, waiting at most the shutdown grace period (plus a little) for all of
     * them; called from a handler it starts the shutdown and returns at once.
     */
    @Override
    public void close() {
        synchronized (this) {
            mbeanNames.forEach(StatsMBean::unregister);
            mbeanNames = List.of();
        }
        reactors.shutdown(System.nanoTime() + settings.shutdownGrace.toNanos() + TimeUnit.SECONDS.toNanos(1));
    }

    /** {@return whether a reactor thread is still running} */
    public boolean isRunning() {
        return reactors.isRunning();
    }

    /**
     * Collects the server's settings by name; every one has a sensible default except the handler, and none
     * changes another. {@link #build()} checks them together.
     */
    public static final class Builder extends ServerOptions {

        private Builder() {
        }

        /**
         * The address to listen on (default 127.0.0.1:9001).
         *
         * @param host the host name or address; {@code 0.0.0.0} for every interface
         * @param port the port; 0 for any free one (see {@link WebSocketServer#port()})
         * @return this builder
         */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        /**
         * The address to listen on (default 127.0.0.1:9001).
         *
         * @param address the address; port 0 for any free one
         * @return this builder
         */
        public Builder bind(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address);
            return this;
        }

        /**
         * The listening socket's queue of connections not yet accepted (default 1024).
         *
         * @param backlog the queue's length
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * How many reactors serve the connections (default 1): independent loops, each on its own thread with its own
         * selector, timers, buffers and compressor; each connection stays on one for its whole life. {@link
         * #ONE_PER_PROCESSOR} (0) means one per available processor. With more than one, handler calls for one session
         * still run on one thread, in wire order, but different sessions' calls run on different threads at once: state
         * handlers share between sessions needs its own synchronisation.
         *
         * @param count the number of reactors, or {@link #ONE_PER_PROCESSOR}
         * @return this builder
         */
        public Builder reactors(int count) {
            this.reactors = count;
            return this;
        }

        /**
         * With several reactors, whether each listens on its own socket with {@code SO_REUSEPORT} (the kernel spreads
         * connections by a hash of their addresses), where the platform has it (default true); otherwise one acceptor
         * hands each connection to the reactor with the fewest open ones.
         *
         * @param reusePort whether to use {@code SO_REUSEPORT}
         * @return this builder
         */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /**
         * The application (required).
         *
         * @param handler what handles every session
         * @return this builder
         */
        public Builder handler(WebSocketHandler handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /**
         * Answers plain HTTP requests on the same port; the default answers 426 Upgrade Required.
         *
         * @param httpHandler what answers them
         * @return this builder
         */
        public Builder httpHandler(HttpHandler httpHandler) {
            this.httpHandler = Objects.requireNonNull(httpHandler);
            return this;
        }

        /**
         * The subprotocols the server speaks, most preferred first; the client's first one we speak is chosen.
         *
         * @param preferenceOrder the subprotocols, ours first
         * @return this builder
         */
        public Builder subprotocols(String... preferenceOrder) {
            return handshake(h -> h.subprotocols(Arrays.asList(preferenceOrder)));
        }

        /**
         * Accepts browsers only from these origins (403 otherwise); clients without Origin are accepted.
         *
         * @param allowed the origins, such as {@code https://tickets.example}
         * @return this builder
         */
        public Builder origins(String... allowed) {
            return handshakeHook(HandshakePolicy.allowOrigins(Arrays.asList(allowed)));
        }

        /**
         * A check of every valid WebSocket request (path, cookies, tokens); hooks run in the order added.
         *
         * @param hook the check, answering {@code null} to accept
         * @return this builder
         */
        public Builder handshakeHook(HandshakePolicy hook) {
            this.hooks = hooks == HandshakePolicy.ACCEPT_ALL ? hook : hooks.and(hook);
            return this;
        }

        /**
         * The largest opening handshake request accepted (default 8 KiB; 431 above it).
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxHandshakeBytes(int bytes) {
            return handshake(h -> h.maxHeadBytes(bytes));
        }

        /**
         * How long a client may take to complete its opening handshake (default 10 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            return connection(c -> c.handshakeTimeout(timeout));
        }

        /**
         * The largest message accepted, all its frames together (default 1 MiB; bigger ones get 1009).
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxMessageSize(long bytes) {
            return connection(c -> c.maxMessageSize(bytes));
        }

        /**
         * The largest frame accepted (1009 above it); by default none of its own: a frame may be a whole message.
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxFramePayload(long bytes) {
            return connection(c -> c.maxFramePayload(bytes));
        }

        /**
         * Outgoing messages larger than this are sent as fragments of this size; 0 (default) never splits.
         *
         * @param bytes the fragment size
         * @return this builder
         */
        public Builder fragmentSize(int bytes) {
            return connection(c -> c.fragmentSize(bytes));
        }

        /**
         * permessage-deflate (RFC 7692): on by default, with one compressor shared by every connection (so the server
         * always answers {@code server_no_context_takeover}), level 6, messages under 256 bytes sent as they are.
         * {@link DeflateConfig#disabled()} turns it off.
         *
         * @param settings the compression settings
         * @return this builder
         */
        public Builder compression(DeflateConfig settings) {
            return connection(c -> c.deflate(settings));
        }

        /**
         * Ping after this long without a byte from the client (default 30 s); zero turns keepalive off.
         *
         * @param idle the silence allowed
         * @return this builder
         */
        public Builder idleTimeout(Duration idle) {
            return connection(c -> c.idleTimeout(idle));
        }

        /**
         * How long to wait for any byte after a keepalive Ping before closing with 1011 (default 30 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder pongTimeout(Duration timeout) {
            return connection(c -> c.pongTimeout(timeout));
        }

        /**
         * How long the closing handshake and the TCP close may take (default 5 s).
         *
         * @param timeout the time allowed for each
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            return connection(c -> c.closeTimeout(timeout));
        }

        /**
         * How long {@link WebSocketServer#close()} waits for sessions to answer 1001 (default 5 s).
         *
         * @param grace the time allowed
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace);
            return this;
        }

        /**
         * Connections beyond this many, server-wide, are closed as accepted (after a canned 503 on plain TCP).
         *
         * @param max the limit (default 100,000)
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /**
         * Backpressure: stop reading from a connection whose queued output is above {@code high} bytes until it is down
         * to {@code low}; close it with 1008 above {@code hardLimit}.
         *
         * @param low the low-water mark (default 256 KiB)
         * @param high the high-water mark (default 1 MiB)
         * @param hardLimit the most a connection may hold (default 64 MiB)
         * @return this builder
         */
        public Builder writeQueueLimits(long low, long high, long hardLimit) {
            this.lowWaterMark = low;
            this.highWaterMark = high;
            this.maxQueuedBytes = hardLimit;
            return this;
        }

        /**
         * As maxConnections, for those still handshaking (default 1,000, or half the open-file limit if less).
         *
         * @param max the limit
         * @return this builder
         */
        public Builder maxHandshaking(int max) {
            this.maxHandshaking = max;
            return this;
        }

        /**
         * A connection not read this long for backpressure, still above the high-water mark, gets 1008 (30 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder slowConsumerTimeout(Duration timeout) {
            this.slowConsumerTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * The output all connections together may hold (default 256 MiB); over it the largest queues get 1008.
         *
         * @param bytes the budget
         * @return this builder
         */
        public Builder maxQueuedBytesTotal(long bytes) {
            this.maxQueuedBytesTotal = bytes;
            return this;
        }

        /**
         * The size of the pooled direct buffers frames are encoded into (default 16 KiB).
         *
         * @param bytes the buffer size
         * @return this builder
         */
        public Builder outputBufferSize(int bytes) {
            this.outputBufferSize = bytes;
            return this;
        }

        /**
         * Serves {@code wss://}: TLS 1.3 and 1.2 with the context's keys, the JDK's default cipher suites, ALPN {@code
         * http/1.1}. {@link Tls} makes a context from a PKCS#12 keystore or from PEM files.
         *
         * @param context the server's keys and trust
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.tlsContext = Objects.requireNonNull(context);
            return this;
        }

        /**
         * As {@link #tls(SSLContext)}, asking clients for a certificate ({@code WANT}) or requiring one ({@code NEED}).
         *
         * @param context the server's keys and the trust client certificates are checked against
         * @param clientAuth whether to ask for client certificates
         * @return this builder
         */
        public Builder tls(SSLContext context, Tls.ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth);
            return tls(context);
        }

        /**
         * Runs the TLS engines' delegated tasks (the handshake's certificate and key work, about a millisecond of
         * CPU each) on this executor instead of the reactor thread, which meanwhile serves the other connections
         * and resumes the handshake when the task is done. Default: on the reactor thread, which is simpler and
         * faster while handshakes are a small share of the work.
         *
         * @param executor where the tasks run; {@code null} for the reactor thread
         * @return this builder
         */
        public Builder tlsTaskExecutor(Executor executor) {
            this.tlsTaskExecutor = executor;
            return this;
        }

        /**
         * Receives one line per state transition and per frame of every connection (for study, not production).
         *
         * @param sink what receives the lines; {@code null} for none
         * @return this builder
         */
        public Builder trace(Consumer<String> sink) {
            this.trace = sink;
            return this;
        }

        /**
         * Whether the reactor threads are daemons (default false: a running server keeps the JVM alive).
         *
         * @param daemon whether they are daemons
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Registers the counters as an MXBean {@code dev.wsreactor:type=WebSocketServer,port=N}.
         *
         * @param register whether to register it (default false)
         * @return this builder
         */
        public Builder registerMBean(boolean register) {
            this.registerMBean = register;
            return this;
        }

        /** Changes a setting of every connection's {@link ConnectionConfig}. */
        private Builder connection(Consumer<ConnectionConfig.Builder> change) {
            change.accept(connection);
            return this;
        }

        /** Changes a setting of the opening handshake's {@link ServerHandshakeConfig}. */
        private Builder handshake(Consumer<ServerHandshakeConfig.Builder> change) {
            change.accept(handshake);
            return this;
        }

        /**
         * Checks the settings together (see {@link ServerSettings}) and makes a server, not yet started.
         *
         * @return the server
         * @throws IllegalArgumentException if the settings cannot work (no handler, water marks out of order, a limit
         *     of zero)
         */
        public WebSocketServer build() {
            return new WebSocketServer(this);
        }
    }
}
