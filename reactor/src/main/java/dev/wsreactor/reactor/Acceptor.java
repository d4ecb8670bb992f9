package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * The listening socket, in the manner of Lea's Acceptor: it accepts what the backlog holds, sets each socket up
 * as a {@link SocketDriver} and hands it to the loop. When accepting fails (most likely out of file descriptors)
 * it stops asking for a while, doubling the pause while it keeps failing, instead of spinning on the error.
 */
final class Acceptor {

    /** Where the acceptor stands. */
    private enum State {
        /** Accepting whenever the backlog has a connection. */
        ACCEPTING,
        /** Accepting failed: not asking the selector until the back-off deadline. */
        BACKING_OFF,
        /** The listening socket is closed. */
        CLOSED
    }

    /** Connections accepted per readiness event at most. */
    private static final int ACCEPTS_PER_EVENT = 64;
    private static final long BACKOFF_MIN_NANOS = 10_000_000L;
    private static final long BACKOFF_MAX_NANOS = 1_000_000_000L;

    private final ServerSocketChannel channel;
    private final SelectionKey key;
    private final Selector selector;
    private final LoopContext context;
    private final ConnectionConfig connectionConfig;
    private final TimerQueue timers;
    private final Consumer<SocketDriver> accepted;
    /** The back-off's deadline in the loop's timers. */
    final TimerQueue.Entry backoff = new TimerQueue.Entry() {
    };
    private State state = State.ACCEPTING;
    private long backoffNanos;
    private long nextId = 1;

    /** Binds the listening socket; {@code accepted} receives each new connection, registered and ready. */
    Acceptor(LoopContext context, Selector selector, TimerQueue timers, Consumer<SocketDriver> accepted)
            throws IOException {
        this.context = context;
        this.selector = selector;
        this.timers = timers;
        this.accepted = accepted;
        this.connectionConfig = context.settings().connection;
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(context.settings().address, context.settings().backlog);
            server.configureBlocking(false);
            this.key = server.register(selector, SelectionKey.OP_ACCEPT, this);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        this.channel = server;
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return context.settings().address;
        }
    }

    /** The listening socket is readable: accept what is waiting, a bounded number at a time. */
    void onReady() {
        Counters counters = context.loop().counters();
        for (int i = 0; i < ACCEPTS_PER_EVENT && state == State.ACCEPTING; i++) {
            SocketChannel socket;
            try {
                socket = channel.accept();
            } catch (IOException e) {
                counters.increment(Counter.ACCEPT_ERRORS);
                backOff(e);
                return;
            }
            if (socket == null) {
                backoffNanos = 0;
                return;
            }
            register(socket);
        }
    }

    private void backOff(IOException cause) {
        backoffNanos = Math.min(BACKOFF_MAX_NANOS, Math.max(BACKOFF_MIN_NANOS, backoffNanos * 2));
        ReactorLog.LOG.log(Level.WARNING, "accept failed (" + cause + "); pausing accepts for "
                + backoffNanos / 1_000_000 + " ms");
        state = State.BACKING_OFF;
        key.interestOps(0);
        timers.schedule(backoff, context.loop().now() + backoffNanos);
    }

    /** The back-off deadline has come: ask for connections again. */
    void onBackoffOver() {
        if (state == State.BACKING_OFF) {
            state = State.ACCEPTING;
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void register(SocketChannel socket) {
        try {
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
            long id = nextId++;
            ConnectionConfig config = connectionConfig;
            if (context.settings().trace != null) {
                Consumer<String> sink = context.settings().trace;
                config = config.toBuilder().tracer(line -> sink.accept("#" + id + " " + line)).build();
            }
            SocketDriver connection = new SocketDriver(id, socket, remote, config, context);
            connection.register(selector);
            accepted.accept(connection);
        } catch (IOException | RuntimeException e) {
            ReactorLog.LOG.log(Level.DEBUG, "could not set up an accepted connection: " + e);
            closeQuietly(socket);
        }
    }

    /** Stops accepting for good and closes the listening socket. */
    void close() {
        state = State.CLOSED;
        key.cancel();
        timers.remove(backoff);
        closeQuietly(channel);
    }

    static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing is best effort: there is nothing left to tell the peer.
        }
    }
}
