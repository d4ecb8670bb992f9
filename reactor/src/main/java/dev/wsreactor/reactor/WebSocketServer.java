package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import dev.wsreactor.protocol.internal.Utf8Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.management.ObjectName;

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
    /** Looks for renewed certificate files while the server runs; null without {@link ServerCertificates}. */
    private CertificateWatcher certificateWatcher;

    private WebSocketServer(Builder builder) {
        this.settings = new ServerSettings(builder, this::stats);
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
        if (settings.tls != null && settings.tls.certificates() != null && certificateWatcher == null) {
            certificateWatcher = settings.tls.certificates().watch(reactors::count);
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

    /** Its reactors, for a client that runs on them. */
    ReactorGroup reactorGroup() {
        return reactors;
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
            if (certificateWatcher != null) {
                certificateWatcher.close();
                certificateWatcher = null;
            }
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
    public static final class Builder extends EndpointOptions {

        private Builder() {
        }

        @Override
        Builder self() {
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
         * @throws IllegalStateException if no handler was set
         * @throws IllegalArgumentException if a setting cannot work (water marks out of order, a limit of zero)
         */
        public WebSocketServer build() {
            return new WebSocketServer(this);
        }
    }
}
