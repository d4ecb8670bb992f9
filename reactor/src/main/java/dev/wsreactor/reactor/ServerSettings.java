package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Everything the builder collected, fixed for the server's lifetime.
 *
 * @param address where to listen
 * @param backlog the listen backlog
 * @param connection each connection's limits, timers and handshake settings
 * @param handler the application's WebSocket handler
 * @param httpHandler answers plain HTTP requests
 * @param maxConnections above this many connections a handshake is answered 503
 * @param lowWaterMark a connection whose output fell to this many queued bytes is read from again
 * @param highWaterMark a connection with more queued output than this is not read from (its peer is slow)
 * @param maxQueuedBytes a connection with more queued output than this is closed with 1008 (a slow consumer)
 * @param outputBufferSize the size of the pooled direct buffers outgoing frames are written into
 * @param shutdownGrace how long a graceful shutdown waits for the peers' Close replies
 * @param trace receives trace lines (state transitions and frames) of every connection, or null
 * @param daemon whether the reactor thread is a daemon thread
 * @param registerMBean whether to register the server's statistics with the platform MBean server
 * @param tls how to speak TLS ({@code wss://}), or null for plain TCP ({@code ws://})
 */
record ServerSettings(
        InetSocketAddress address,
        int backlog,
        ConnectionConfig connection,
        WebSocketHandler handler,
        HttpHandler httpHandler,
        int maxConnections,
        long lowWaterMark,
        long highWaterMark,
        long maxQueuedBytes,
        int outputBufferSize,
        Duration shutdownGrace,
        Consumer<String> trace,
        boolean daemon,
        boolean registerMBean,
        TlsSettings tls) {

    ServerSettings {
        if (lowWaterMark > highWaterMark || highWaterMark > maxQueuedBytes) {
            throw new IllegalArgumentException("need lowWaterMark <= highWaterMark <= maxQueuedBytes, got "
                    + lowWaterMark + ", " + highWaterMark + ", " + maxQueuedBytes);
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }
}
