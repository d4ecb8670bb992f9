package dev.wsreactor.reactor;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket client: one loop thread serving every connection it opens, with the server's {@link Session} and
 * {@link WebSocketHandler} API and the server's connection code (limits, keepalive, backpressure, close).
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder().header("Authorization", "Bearer " + token).build()) {
 *     Session session = client.connect(URI.create("ws://example.com/feed"), new WebSocketHandler() {
 *         public void onText(Session session, String text) {
 *             System.out.println(text);
 *         }
 *     }).get(10, TimeUnit.SECONDS);
 *     session.sendText("hello");
 *     ...
 *     session.close();
 * }
 * }</pre>
 *
 * <p>The server's answer is checked as RFC 6455 §4.1 asks (status 101, Upgrade, Connection, Sec-WebSocket-Accept,
 * only what we offered); a failure fails the future with a {@link HandshakeFailedException} naming the rule.
 * Redirects are not followed. A client closes as §7.1.1 says: after the closing handshake it waits for the server
 * to close TCP (bounded by the close timeout). Every method is safe from any thread.
 *
 * <p>Its connections run on a loop of its own, on {@link Builder#reactors(int) several}, or on a started server's
 * reactors ({@link Builder#on}); {@link Builder#proxy(InetSocketAddress) through an HTTP proxy} if asked.
 */
public final class WebSocketClient implements AutoCloseable {

    /** The loops its connections live on: its own, or a server's reactors. */
    private final EventLoop[] loops;
    /** Its connections on each loop, by the loop's index. */
    private final ClientSet[] sets;
    /** The loops it started and stops when closed; none when it lives on a server. */
    private final ClientLoop[] own;
    private final Builder builder;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicInteger nextLoop = new AtomicInteger();

    private WebSocketClient(Builder builder) {
        this.builder = builder;
        if (builder.server != null) {
            if (builder.reactors != 1) {
                throw new IllegalStateException("a client on a server uses the server's reactors: no reactors(n)");
            }
            this.own = new ClientLoop[0];
            this.loops = builder.server.reactorGroup().loops();
        } else {
            this.own = ClientLoop.openAll(builder.reactors, builder.outputBufferSize);
            this.loops = own;
        }
        this.sets = new ClientSet[loops.length];
        for (int i = 0; i < loops.length; i++) {
            sets[i] = new ClientSet(loops[i]);
            loops[i].join(sets[i]);
        }
        for (int i = 0; i < own.length; i++) {
            own[i].start(sets[i], own.length == 1 ? "wsreactor-client" : "wsreactor-client-" + i, builder.daemon);
        }
    }

    /**
     * A builder with every setting at its default: a client with one loop thread of its own.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a connection to a {@code ws://} or {@code wss://} URI; completes with the session once the handshake
     * succeeded. DNS is resolved in the calling thread. Called from a handler on one of the client's loops, the
     * connection lives on that loop (so a relay runs on one thread); otherwise the loops take turns.
     *
     * @param uri where to connect
     * @param handler the application's handler for this connection
     * @return the session once open; or the failure ({@link HandshakeFailedException}, an {@link IOException})
     */
    public CompletableFuture<Session> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, Map.of(), handler);
    }

    /**
     * As {@link #connect(URI, WebSocketHandler)}, with request headers for this connection only.
     *
     * @param uri where to connect
     * @param headers request headers sent on this connection, after the builder's
     * @param handler the application's handler for this connection
     * @return the session once open, or the failure
     */
    public CompletableFuture<Session> connect(URI uri, Map<String, String> headers, WebSocketHandler handler) {
        Objects.requireNonNull(handler);
        try {
            ClientTarget target = ClientTarget.of(uri);
            return sets[pickLoop()].connect(nextId.getAndIncrement(), builder, target, headers, handler);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The calling thread's loop if it is one of ours (a relay stays on one thread), else the next in turn. */
    private int pickLoop() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inLoop()) {
                return i;
            }
        }
        return Math.floorMod(nextLoop.getAndIncrement(), loops.length);
    }

    /**
     * Closes every connection of this client (and only those: on a server, its sessions stay) with 1001 Going
     * Away and waits (up to the close timeout) for them to end, then stops the client's own loops. Called from a
     * handler on one of its loops, it starts all that and returns at once.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + builder.closeTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        boolean onOurLoop = false;
        for (int i = 0; i < loops.length; i++) {
            onOurLoop |= loops[i].inLoop();
            if (!loops[i].execute(sets[i]::closeAll)) {
                sets[i].drained().complete(null); // the loop has ended, and released them as it did
            }
        }
        if (onOurLoop) {
            return; // a loop cannot wait for itself; the own loops end once their connections are gone
        }
        for (ClientSet set : sets) {
            set.awaitDrained(deadline);
        }
        for (ClientLoop loop : own) {
            loop.awaitTermination(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** {@return how many sets of TLS buffers the client keeps, over all its loops (for tests)} */
    int tlsBufferSets() {
        int sum = 0;
        for (ClientSet set : sets) {
            sum += set.tlsBufferSets();
        }
        return sum;
    }

    /** The client's settings by name; every one has a default, and none changes another. */
    public static final class Builder extends ClientOptions {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * A request header sent on every connection (an auth token, a cookie); may be called more than once.
         *
         * @param name the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /**
         * The subprotocols to offer, most preferred first; the server picks one or none.
         *
         * @param preferenceOrder the subprotocols' names
         * @return this builder
         */
        public Builder subprotocols(String... preferenceOrder) {
            this.subprotocols = List.copyOf(Arrays.asList(preferenceOrder));
            return this;
        }

        /**
         * permessage-deflate, offered with {@code client_max_window_bits} by default; disabled() offers none.
         *
         * @param settings the compressor's settings, or {@link DeflateConfig#disabled()}
         * @return this builder
         */
        public Builder compression(DeflateConfig settings) {
            this.compression = Objects.requireNonNull(settings);
            connection.compression(settings);
            return this;
        }

        /**
         * The permessage-deflate offers to make instead of the default one, most preferred first, each as it goes
         * in {@code Sec-WebSocket-Extensions} (RFC 7692 §7.1), e.g.
         * {@code "permessage-deflate; client_no_context_takeover; server_max_window_bits=10"}. Whatever the server
         * answers from them is honoured: a window it asks for, no context takeover. No effect when
         * {@link #compression} is disabled.
         *
         * @param offers the offers, each a permessage-deflate element with RFC 7692's parameters
         * @return this builder
         * @throws IllegalArgumentException for an offer that is no valid permessage-deflate offer
         */
        public Builder compressionOffers(String... offers) {
            for (String offer : offers) {
                List<ExtensionOffer> parsed = ExtensionOffer.parseAll(List.of(offer));
                if (parsed.size() != 1 || PerMessageDeflate.negotiate(parsed, DeflateConfig.defaults()).isEmpty()) {
                    throw new IllegalArgumentException("not one valid permessage-deflate offer: " + offer);
                }
            }
            this.compressionOffers = List.copyOf(Arrays.asList(offers));
            return this;
        }

        /**
         * How long TCP may take to connect, and through a proxy its answer to CONNECT too (default 10 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * How long the server may take to answer the opening handshake, once TCP is up (default 10 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout);
            connection.handshakeTimeout(timeout);
            return this;
        }

        /**
         * The largest message accepted (1009 above it).
         *
         * @param bytes the limit, all of a message's frames together
         * @return this builder
         */
        public Builder maxMessageSize(long bytes) {
            connection.maxMessageSize(bytes);
            return this;
        }

        /**
         * The largest frame accepted (1009 above it).
         *
         * @param bytes the limit
         * @return this builder
         */
        public Builder maxFramePayload(long bytes) {
            connection.maxFramePayload(bytes);
            return this;
        }

        /**
         * Keepalive: a Ping after this long without a byte from the server; zero turns keepalive off.
         *
         * @param interval the silence before a Ping (default 30 s)
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            connection.pingInterval(interval);
            return this;
        }

        /**
         * The keepalive Ping interval, under its old name; forwards to {@link #pingInterval(Duration)}.
         *
         * @param idle the silence before a Ping
         * @return this builder
         * @deprecated it never closed an idle session: use {@link #pingInterval(Duration)}
         */
        @Deprecated
        public Builder idleTimeout(Duration idle) {
            return pingInterval(idle);
        }

        /**
         * How long to wait for any byte after a keepalive Ping before closing with 1011 (default 30 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder pongTimeout(Duration timeout) {
            connection.pongTimeout(timeout);
            return this;
        }

        /**
         * How long the closing handshake and the server's TCP close may take (default 5 s).
         *
         * @param timeout the time allowed
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout);
            connection.closeTimeout(timeout);
            return this;
        }

        /**
         * Backpressure exactly as the server's: stop reading above {@code high}, close with 1008 above the limit.
         *
         * @param low queued output at which reading resumes
         * @param high queued output above which reading stops
         * @param hardLimit queued output above which the connection is closed with 1008
         * @return this builder
         */
        public Builder writeQueueLimits(long low, long high, long hardLimit) {
            connection.writeQueueLimits(low, high, hardLimit);
            return this;
        }

        /**
         * The TLS context for {@code wss://} (what it trusts: a private CA, say); default the JDK's. Hostname
         * verification is always on.
         *
         * @param context the context, with TLS 1.2 or 1.3
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            TlsSupport.protocols(context); // fails here for a context without TLS 1.2 or 1.3
            this.tls = context;
            return this;
        }

        /**
         * Runs every handler call on this executor instead of the client's loop thread, as the server's
         * {@link WebSocketServer.Builder#handlerExecutor} does: per session one at a time, in wire order.
         *
         * @param executor where handler calls run (JDK 21+: {@code Executors.newVirtualThreadPerTaskExecutor()})
         * @return this builder
         */
        public Builder handlerExecutor(Executor executor) {
            connection.handlerExecutor(executor);
            return this;
        }

        /**
         * Whether the loop threads are daemons (default true: an open client does not keep the JVM alive).
         *
         * @param daemon whether they are
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Starts the client's loop threads (or joins the server's). The client keeps this builder: do not change
         * it afterwards.
         *
         * @return the client, ready to connect
         * @throws IllegalStateException when {@link #on} names a server not started, or with {@link #reactors}
         */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
