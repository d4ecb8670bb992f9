package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.ClientHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One outgoing socket until it can carry the opening handshake, in the manner of the {@link Acceptor}: it starts
 * the non-blocking connect and waits for OP_CONNECT; through a proxy it then asks for a tunnel
 * ({@link ProxyTunnel}) and waits for the proxy's 2xx, all within the connect timeout; then it sets the socket up
 * as a {@link SocketDriver} with the client's handshake (TLS first for wss://) and hands it to the loop.
 * Everything here runs on the loop's thread.
 */
final class Connector extends TimerQueue.Entry {

    /** Where it stands. */
    private enum Phase {
        /** TCP is being connected. */
        CONNECTING,
        /** Writing the CONNECT request to the proxy. */
        ASKING_PROXY,
        /** Reading the proxy's reply. */
        READING_PROXY_REPLY
    }

    private final long id;
    private final ClientSet client;
    private final EventLoop loop;
    private final InetSocketAddress address;
    /** The proxy's tunnel, or null to connect directly. */
    private final ProxyTunnel tunnel;
    private final ClientHandshake handshake;
    private final LoopContext context;
    private final long connectTimeoutNanos;
    private final CompletableFuture<Session> opened;
    private SocketChannel channel;
    private Phase phase = Phase.CONNECTING;

    /** A connection to {@code address}, or through {@code tunnel} when it is not null. */
    Connector(long id, ClientSet client, InetSocketAddress address, ProxyTunnel tunnel, ClientHandshake handshake,
            LoopContext context, long connectTimeoutNanos, CompletableFuture<Session> opened) {
        this.id = id;
        this.client = client;
        this.loop = client.loop;
        this.address = tunnel == null ? address : tunnel.proxy();
        this.tunnel = tunnel;
        this.handshake = handshake;
        this.context = context;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.opened = opened;
    }

    /** Starts connecting; on the loop. */
    void start() {
        if (client.isClosing()) {
            opened.completeExceptionally(new IllegalStateException("the client is closed"));
            return;
        }
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.connecting(this);
            loop.schedule(this, loop.now() + connectTimeoutNanos);
            if (channel.connect(address)) {
                connected();
            } else {
                channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** The selector says the socket is ready for what this connector waits for; never throws. */
    void onReady() {
        try {
            switch (phase) {
                case CONNECTING -> {
                    if (channel.finishConnect()) {
                        connected();
                    }
                }
                case ASKING_PROXY -> askProxy();
                case READING_PROXY_REPLY -> readProxyReply();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** The connect timeout passed. */
    void onDeadline() {
        fail(new SocketTimeoutException("connecting to " + address + (phase == Phase.CONNECTING ? ""
                : " (a proxy, not answering CONNECT)") + " timed out after " + connectTimeoutNanos / 1_000_000
                + " ms"));
    }

    /** Gives up: the socket is closed and the future fails with {@code cause}. */
    void fail(Throwable cause) {
        client.connectorDone(this);
        if (channel != null) {
            Acceptor.closeQuietly(channel);
        }
        opened.completeExceptionally(cause);
    }

    private void connected() throws IOException {
        if (tunnel == null) {
            handOver();
        } else {
            phase = Phase.ASKING_PROXY;
            askProxy();
        }
    }

    private void askProxy() throws IOException {
        channel.write(tunnel.request());
        if (tunnel.request().hasRemaining()) {
            channel.register(loop.selector(), SelectionKey.OP_WRITE, this);
            return;
        }
        phase = Phase.READING_PROXY_REPLY;
        channel.register(loop.selector(), SelectionKey.OP_READ, this);
    }

    private void readProxyReply() throws IOException {
        int read = channel.read(tunnel.reply());
        if (tunnel.isOpen()) {
            handOver();
        } else if (read < 0) {
            throw tunnel.closedEarly();
        }
    }

    private void handOver() throws IOException {
        client.connectorDone(this);
        ((ClientSessionHandler) context.settings().handler).connected(loop.now());
        SocketDriver connection = new SocketDriver(id, channel, address, context.settings().connection, context,
                handshake);
        connection.register(loop.selector()); // the same key, now watching for reads, attached to the driver
        client.adopt(connection);
    }
}
