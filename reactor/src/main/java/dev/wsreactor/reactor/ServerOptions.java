package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What {@link WebSocketServer.Builder} collects, each setting with its default, in one place: the builder sets them
 * by name and {@link ServerSettings} reads them once at {@code build()}. The settings for running behind proxies
 * and for metrics have their setters here, inherited by the builder as its own.
 */
abstract class ServerOptions {

        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9001);
        int backlog = 1024;
        int reactors = 1;
        boolean reusePort = true;
        WebSocketHandler handler;
        HttpHandler httpHandler = HttpHandler.UPGRADE_REQUIRED;
        final ServerHandshakeConfig.Builder handshake = ServerHandshakeConfig.builder();
        HandshakePolicy hooks = HandshakePolicy.ACCEPT_ALL;
        final ConnectionConfig.Builder connection = ConnectionConfig.builder();
        int maxConnections = 100_000;
        long lowWaterMark = 256 * 1024;
        long highWaterMark = 1024 * 1024;
        long maxQueuedBytes = 64L * 1024 * 1024;
        int maxHandshaking = ServerLimits.DERIVED;
        Duration slowConsumerTimeout = Duration.ofSeconds(30);
        long maxQueuedBytesTotal = 256L * 1024 * 1024;
        int outputBufferSize = 16 * 1024;
        Duration shutdownGrace = Duration.ofSeconds(5);
        Consumer<String> trace;
        boolean daemon;
        boolean registerMBean;
        SSLContext tlsContext;
        Tls.ClientAuth clientAuth = Tls.ClientAuth.NONE;
        Executor tlsTaskExecutor;
        List<String> trustedProxies = List.of();
        ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
        String metricsPath;

        /**
         * The proxies in front of the server, as addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}): from
         * them, {@code Forwarded} or {@code X-Forwarded-For} name {@link Session#clientAddress()}, and when any are
         * named only they may send a PROXY header. {@code build()} refuses an entry that is neither.
         *
         * @param addressesAndRanges IP address literals and CIDR ranges, IPv4 or IPv6
         * @return this builder
         */
        public WebSocketServer.Builder trustedProxies(String... addressesAndRanges) {
            this.trustedProxies = List.of(addressesAndRanges);
            return self();
        }

        /**
         * Whether every connection begins with a PROXY protocol header, v1 or v2, naming the client (default OFF).
         *
         * @param mode {@link ProxyProtocol#REQUIRED} behind a TCP proxy that sends the header
         * @return this builder
         */
        public WebSocketServer.Builder proxyProtocol(ProxyProtocol mode) {
            this.proxyProtocol = Objects.requireNonNull(mode);
            return self();
        }

        /**
         * Serves the counters at this path in Prometheus's text format (0.0.4), to plain HTTP GETs on the same port;
         * other plain HTTP requests still go to the HTTP handler. Off by default.
         *
         * @param path the request path, e.g. {@code /metrics}
         * @return this builder
         */
        public WebSocketServer.Builder metricsEndpoint(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a path begins with '/', got " + path);
            }
            this.metricsPath = path;
            return self();
        }

        private WebSocketServer.Builder self() {
            return (WebSocketServer.Builder) this; // the one subclass
        }
}
