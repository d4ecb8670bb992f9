package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What {@link WebSocketServer.Builder} collects, each setting with its default, in one place: the builder sets them
 * by name and {@link ServerSettings} reads them once at {@code build()}.
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

        // What the server-wide limits are set to so far: the defaults on a fresh builder, for tools that print them.

        /**
         * The server-wide connection cap set so far.
         *
         * @return the connections the server serves at most at once (default 100,000)
         */
        public int maxConnections() {
                return maxConnections;
        }

        /**
         * The cap on connections still in their opening handshake, as {@code build()} will apply it.
         *
         * @return the value set, or if none the default: 1,000, or half the open-file limit if less
         */
        public int maxHandshaking() {
                return maxHandshaking == ServerLimits.DERIVED ? ServerLimits.defaultMaxHandshaking() : maxHandshaking;
        }

        /**
         * One connection's write queue limits set so far.
         *
         * @return a new array of the low-water mark, the high-water mark and the hard limit, in bytes
         */
        public long[] writeQueueLimits() {
                return new long[] {lowWaterMark, highWaterMark, maxQueuedBytes};
        }

        /**
         * How long a connection may stay above the high-water mark, not read, before it gets 1008.
         *
         * @return the slow-consumer timeout set so far (default 30 s)
         */
        public Duration slowConsumerTimeout() {
                return slowConsumerTimeout;
        }

        /**
         * The output all connections together may hold.
         *
         * @return the server-wide output budget in bytes set so far (default 256 MiB)
         */
        public long maxQueuedBytesTotal() {
                return maxQueuedBytesTotal;
        }
}
