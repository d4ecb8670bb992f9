package dev.wsreactor.reactor;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 */
public final class WebSocketClient implements AutoCloseable {

    private static final SecureRandom KEYS = new SecureRandom();

    private final ClientLoop loop;
    private final Builder builder;
    private final AtomicLong nextId = new AtomicLong(1);

    private WebSocketClient(Builder builder) {
        this.builder = builder;
        try {
            this.loop = new ClientLoop(builder.outputBufferSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        loop.start(builder.daemon);
    }

    /** {@return a builder with every setting at its default} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a connection to a {@code ws://} or {@code wss://} URI. DNS is resolved in the calling thread.
     *
     * @param uri where to connect
     * @param handler what handles the session
     * @return completes with the session once the handshake succeeded, or fails with the {@link
     *     HandshakeFailedException} or {@code IOException} that ended it
     */
    public CompletableFuture<Session> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, Map.of(), handler);
    }

    /**
     * As {@link #connect(URI, WebSocketHandler)}, with request headers for this connection only.
     *
     * @param uri where to connect
     * @param headers header fields sent on this connection's request
     * @param handler what handles the session
     * @return completes with the session once the handshake succeeded
     */
    public CompletableFuture<Session> connect(URI uri, Map<String, String> headers, WebSocketHandler handler) {
        Objects.requireNonNull(handler);
        CompletableFuture<Session> opened = new CompletableFuture<>();
        try {
            Target target = Target.of(uri);
            HttpHeaders extra = new HttpHeaders();
            builder.headers.fields().forEach(field -> extra.add(field.name(), field.value()));
            headers.forEach(extra::add);
            ClientHandshake handshake = new ClientHandshake(target.hostHeader(), target.path(),
                    builder.subprotocols, builder.offers(), extra, KEYS);
            ClientSessionHandler opening = new ClientSessionHandler(handler, handshake, opened,
                    builder.handshakeTimeout.toNanos());
            ServerSettings settings = builder.settings(opening);
            TlsSupport tls = target.secure() ? new TlsSupport(builder.tlsContext(), target.bareHost(), target.port())
                    : null; // per connection: its engines verify this server's name
            LoopContext context = new LoopContext(loop, settings, loop.pool, null, tls, loop.readBuffer);
            Connector connector = new Connector(nextId.getAndIncrement(), loop, target.resolve(), handshake, context,
                    builder.connectTimeout.toNanos(), opened);
            if (!loop.execute(connector::start)) {
                opened.completeExceptionally(new IllegalStateException("the client is closed"));
            }
        } catch (IOException | RuntimeException e) {
            opened.completeExceptionally(e);
        }
        return opened;
    }

    /** Closes every connection with 1001 Going Away and waits (up to the close timeout) for them to end. */
    @Override
    public void close() {
        loop.shutdown(builder.closeTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1));
    }

    /** Where a URI points: §3's rules for ws:// and wss:// URIs. */
    private record Target(boolean secure, String host, int port, String path) {

        static Target of(URI uri) throws IOException {
            boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
            if (!secure && !"ws".equalsIgnoreCase(uri.getScheme())) {
                throw new IOException("§3: a WebSocket URI is ws:// or wss://, got " + uri);
            }
            if (uri.getHost() == null) {
                throw new IOException("§3: the URI has no host: " + uri);
            }
            if (uri.getRawFragment() != null) {
                throw new IOException("§3: a WebSocket URI has no fragment: " + uri);
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            int defaultPort = secure ? 443 : 80;
            return new Target(secure, uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), path);
        }

        String hostHeader() {
            return port == (secure ? 443 : 80) ? host : host + ":" + port;
        }

        String bareHost() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }

        InetSocketAddress resolve() throws IOException {
            String bare = bareHost();
            InetSocketAddress address = new InetSocketAddress(bare, port);
            if (address.isUnresolved()) {
                throw new IOException("cannot resolve " + bare);
            }
            return address;
        }
    }

    /** The client's settings by name; every one has a default, and none changes another. */
    public static final class Builder {

        /** The connections' settings, kept in the server's builder so both sides read them the same way. */
        private final WebSocketServer.Builder connection = WebSocketServer.builder();
        private final HttpHeaders headers = new HttpHeaders();
        private List<String> subprotocols = List.of();
        private DeflateConfig compression = DeflateConfig.defaults();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int outputBufferSize = 16 * 1024;
        private boolean daemon = true;
        private SSLContext tls;

        private Builder() {
            connection.compression(compression);
        }

        /**
         * A request header sent on every connection (an auth token, a cookie); may be called more than once.
         *
         * @param name the field's name
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
         * @param preferenceOrder the subprotocols, ours first
         * @return this builder
         */
        public Builder subprotocols(String... preferenceOrder) {
            this.subprotocols = List.copyOf(Arrays.asList(preferenceOrder));
            return this;
        }

        /**
         * permessage-deflate, offered with {@code client_max_window_bits} by default; disabled() offers none.
         *
         * @param settings the compression settings
         * @return this builder
         */
        public Builder compression(DeflateConfig settings) {
            this.compression = Objects.requireNonNull(settings);
            connection.compression(settings);
            return this;
        }

        /**
         * How long TCP may take to connect (default 10 s).
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
         * @param bytes the limit
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
         * Ping after this long without a byte from the server (default 30 s); zero turns keepalive off.
         *
         * @param idle the silence allowed
         * @return this builder
         */
        public Builder idleTimeout(Duration idle) {
            connection.idleTimeout(idle);
            return this;
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
         * @param timeout the time allowed for each
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
         * @param low the low-water mark
         * @param high the high-water mark
         * @param hardLimit the most a connection may hold
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
         * @param context the context
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            TlsSupport.protocols(context); // fails here for a context without TLS 1.2 or 1.3
            this.tls = context;
            return this;
        }

        /**
         * Whether the loop thread is a daemon (default true: an open client does not keep the JVM alive).
         *
         * @param daemon whether it is a daemon
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Starts the client's loop thread. The client keeps this builder: do not change it afterwards.
         *
         * @return the client, running
         */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }

        SSLContext tlsContext() throws IOException {
            try {
                return tls != null ? tls : SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException("no default TLS context", e);
            }
        }

        List<String> offers() {
            List<String> offers = new ArrayList<>();
            if (compression.enabled()) {
                offers.add("permessage-deflate; client_max_window_bits");
            }
            return offers;
        }

        /** One connection's settings, with its own handler. */
        synchronized ServerSettings settings(WebSocketHandler handler) {
            connection.handler(handler);
            return new ServerSettings(connection); // its limits object counts this client's connections alone
        }
    }
}
