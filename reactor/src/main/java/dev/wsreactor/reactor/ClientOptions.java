package dev.wsreactor.reactor;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What {@link WebSocketClient.Builder} collects, each setting with its default, in one place: the builder sets
 * them by name and the client reads them as it connects.
 */
abstract class ClientOptions {

    /** The connections' settings, kept in the server's builder so both sides read them the same way. */
    final WebSocketServer.Builder connection = WebSocketServer.builder();
    final HttpHeaders headers = new HttpHeaders();
    List<String> subprotocols = List.of();
    DeflateConfig compression = DeflateConfig.defaults();
    List<String> compressionOffers = List.of(PerMessageDeflate.clientOffer().toHeaderValue());
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration closeTimeout = Duration.ofSeconds(5);
    int outputBufferSize = 16 * 1024;
    boolean daemon = true;
    SSLContext tls;
    int reactors = 1;
    WebSocketServer server;
    InetSocketAddress proxy;
    String proxyAuthorization;

    ClientOptions() {
        connection.compression(compression);
    }

    /** The builder these settings belong to, for the setters below to return. */
    abstract WebSocketClient.Builder self();

    /**
     * How many loops of its own the client spreads its connections over, each on its own thread (default 1),
     * as a server's {@link WebSocketServer.Builder#reactors(int) reactors}: the connections take turns.
     *
     * @param count at least 1
     * @return this builder
     */
    public WebSocketClient.Builder reactors(int count) {
        this.reactors = count;
        return self();
    }

    /**
     * Runs the client's connections on a started server's reactors instead of loops of its own, sharing their
     * threads, timers and buffers (the server's output buffer size applies). A connection opened from a
     * handler of one of the server's sessions lives on that session's reactor, so a relay is one thread;
     * others take turns. Closing the client closes its own connections only; stopping the server ends them.
     *
     * @param server a started server
     * @return this builder
     */
    public WebSocketClient.Builder on(WebSocketServer server) {
        this.server = Objects.requireNonNull(server);
        return self();
    }

    /**
     * Connects through an HTTP proxy: {@code CONNECT host:port}, then TLS and the opening handshake through
     * the tunnel. A status other than 2xx fails the connection with a {@link HandshakeFailedException}
     * carrying it. The proxy resolves the server's name; a session's remote address is the proxy's.
     *
     * @param proxy the proxy's address
     * @return this builder
     */
    public WebSocketClient.Builder proxy(InetSocketAddress proxy) {
        return proxy(proxy, null);
    }

    /**
     * As {@link #proxy(InetSocketAddress)}, sending {@code Proxy-Authorization} with the CONNECT request.
     *
     * @param proxy the proxy's address
     * @param authorization the header's value (e.g. {@code "Basic " + base64("user:password")}), or null
     * @return this builder
     */
    public WebSocketClient.Builder proxy(InetSocketAddress proxy, String authorization) {
        this.proxy = Objects.requireNonNull(proxy);
        this.proxyAuthorization = authorization;
        return self();
    }

    SSLContext tlsContext() throws IOException {
        try {
            return tls != null ? tls : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        }
    }

    List<String> offers() {
        return compression.enabled() ? compressionOffers : List.of();
    }

    /** One connection's settings, with its own handler. */
    synchronized ServerSettings settings(WebSocketHandler handler) {
        connection.handler(handler);
        return new ServerSettings(connection); // its limits object counts this client's connections alone
    }
}
