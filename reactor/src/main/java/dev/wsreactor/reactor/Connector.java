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
 * One outgoing socket until TCP is up, in the manner of the {@link Acceptor}: it starts the non-blocking connect,
 * waits for OP_CONNECT within the connect timeout, then sets the socket up as a {@link SocketDriver} with the
 * client's handshake and hands it to the loop. Everything here runs on the loop's thread.
 */
final class Connector extends TimerQueue.Entry {

    private final long id;
    private final ClientLoop loop;
    private final InetSocketAddress address;
    private final ClientHandshake handshake;
    private final LoopContext context;
    private final long connectTimeoutNanos;
    private final CompletableFuture<Session> opened;
    private SocketChannel channel;

    Connector(long id, ClientLoop loop, InetSocketAddress address, ClientHandshake handshake, LoopContext context,
            long connectTimeoutNanos, CompletableFuture<Session> opened) {
        this.id = id;
        this.loop = loop;
        this.address = address;
        this.handshake = handshake;
        this.context = context;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.opened = opened;
    }

    /** Starts connecting; on the loop. */
    void start() {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            loop.connecting(this);
            if (channel.connect(address)) {
                connected();
            } else {
                channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
                loop.schedule(this, loop.now() + connectTimeoutNanos);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** The selector says the connect finished, one way or the other. */
    void onConnectable() {
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    void onDeadline() {
        fail(new SocketTimeoutException("connecting to " + address + " timed out after "
                + connectTimeoutNanos / 1_000_000 + " ms"));
    }

    void fail(Throwable cause) {
        loop.connectorDone(this);
        if (channel != null) {
            Acceptor.closeQuietly(channel);
        }
        opened.completeExceptionally(cause);
    }

    private void connected() throws IOException {
        loop.connectorDone(this);
        ((ClientSessionHandler) context.settings().handler).connected(loop.now());
        SocketDriver connection = new SocketDriver(id, channel, address, context.settings().connection, context,
                handshake);
        connection.register(loop.selector()); // the same key, now watching for reads, attached to the driver
        loop.adopt(connection);
    }
}
