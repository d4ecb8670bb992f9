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
        Executor handlerExecutor;

        /** Changes a setting of every connection's {@link ConnectionConfig}. */
        final WebSocketServer.Builder connection(Consumer<ConnectionConfig.Builder> change) {
            change.accept(connection);
            return (WebSocketServer.Builder) this; // the one subclass: what the builder's setters return
        }

        /** Changes a setting of the opening handshake's {@link ServerHandshakeConfig}. */
        final WebSocketServer.Builder handshake(Consumer<ServerHandshakeConfig.Builder> change) {
            change.accept(handshake);
            return (WebSocketServer.Builder) this;
        }
}
