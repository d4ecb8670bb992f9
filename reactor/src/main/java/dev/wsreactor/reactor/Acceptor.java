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
 * as a {@link SocketDriver} and hands it to the loop, unless the server-wide caps refuse it. When accepting fails
 * (most likely out of file descriptors) it stops asking for a while, doubling the pause while it keeps failing,
 * instead of spinning on the error, and recovers by itself.
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
    /** A repeating failure or refusal is logged at most once per this interval, with a count. */
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

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
    private final ServerLimits limits;
    private final ReactorLog.Throttled acceptFailures = new ReactorLog.Throttled(Level.WARNING, LOG_INTERVAL_NANOS);
    private final ReactorLog.Throttled refusals = new ReactorLog.Throttled(Level.WARNING, LOG_INTERVAL_NANOS);
    private final ReactorLog.Throttled setupFailures = new ReactorLog.Throttled(Level.WARNING, LOG_INTERVAL_NANOS);
    private State state = State.ACCEPTING;
    private long backoffNanos;
    /** Accepts that failed since the backlog was last found empty. */
    private long failedAccepts;
    private long nextId = 1;

    /** Binds the listening socket; {@code accepted} receives each new connection, registered and ready. */
    Acceptor(LoopContext context, Selector selector, TimerQueue timers, Consumer<SocketDriver> accepted)
            throws IOException {
        this.context = context;
        this.selector = selector;
        this.timers = timers;
        this.accepted = accepted;
        this.connectionConfig = context.settings().connection;
        this.limits = context.settings().limits;
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

    /**
     * The listening socket is readable: accept what is waiting, a bounded number at a time. Each socket is
     * admitted by the server-wide caps first ({@link ServerLimits#admit}) and refused at once when over them.
     * Never throws: a failure to accept backs off, a failure to set one socket up closes that socket.
     */
    void onReady() {
        for (int i = 0; i < ACCEPTS_PER_EVENT && state == State.ACCEPTING; i++) {
            SocketChannel socket;
            try {
                socket = channel.accept();
            } catch (Throwable e) {
                counters().increment(Counter.ACCEPT_ERRORS);
                backOff(e);
                return;
            }
            if (socket == null) {
                caughtUp();
                return;
            }
            ServerLimits.Refusal refusal = limits.admit();
            if (refusal == null) {
                register(socket);
            } else {
                refuse(socket, refusal);
            }
        }
    }

    /**
     * Accepting failed, most likely for want of a file descriptor (EMFILE, ENFILE): stop asking for a while,
     * doubling the pause while it keeps failing, so the loop goes on serving its connections instead of spinning
     * on the error, and tries again by itself. Logged once per episode and then once per interval, with a count.
     */
    private void backOff(Throwable cause) {
        backoffNanos = Math.min(BACKOFF_MAX_NANOS, Math.max(BACKOFF_MIN_NANOS, backoffNanos * 2));
        failedAccepts++;
        long pause = backoffNanos;
        acceptFailures.occurred(now(), () -> "accept failed (" + cause + "); pausing accepts for " + pause / 1_000_000
                + " ms at a time while the open connections are served");
        state = State.BACKING_OFF;
        try {
            key.interestOps(0);
            timers.schedule(backoff, now() + backoffNanos);
        } catch (Throwable e) {
            state = State.ACCEPTING; // the key is gone: nothing to pause
        }
    }

    /** The back-off deadline has come: ask for connections again. */
    void onBackoffOver() {
        if (state == State.BACKING_OFF) {
            state = State.ACCEPTING;
            try {
                key.interestOps(SelectionKey.OP_ACCEPT);
            } catch (Throwable e) {
                ReactorLog.warning("the listening socket can no longer be watched: " + e);
            }
        }
    }

    /** The backlog is empty: whatever made accepting fail is over. */
    private void caughtUp() {
        backoffNanos = 0;
        if (failedAccepts > 0) {
            ReactorLog.info("accepting connections again; " + failedAccepts + " accepts had failed");
            failedAccepts = 0;
        }
    }

    /** Over a cap: the descriptor is freed at once, so the backlog does not fill behind sockets not served. */
    private void refuse(SocketChannel socket, ServerLimits.Refusal refusal) {
        counters().increment(Counter.CONNECTIONS_REFUSED);
        refusals.occurred(now(), () -> "refusing new connections: " + limits.connections() + " open, "
                + limits.handshaking() + " handshaking, at " + refusal.setting + " (maxConnections "
                + limits.maxConnections + ", maxHandshaking " + limits.maxHandshaking + ")");
        try {
            if (context.tls() == null) {
                socket.configureBlocking(false);
                socket.write(refusal.response()); // a fresh socket's send buffer takes these few bytes at once
                // A request already here is read, so the close is a FIN behind the 503, not a reset before it.
                socket.read(context.readBuffer().clear());
            }
        } catch (Throwable ignored) {
            // The peer is gone already, or will see the close alone.
        }
        closeQuietly(socket);
    }

    /** Sets an admitted socket up; from the moment its driver exists, the driver owns its place in the limits. */
    private void register(SocketChannel socket) {
        SocketDriver connection;
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
            connection = new SocketDriver(id, socket, remote, config, context);
        } catch (Throwable e) {
            setupFailed(e);
            closeQuietly(socket);
            limits.handshakeOver();
            limits.connectionClosed();
            return;
        }
        try {
            accepted.accept(connection);
            connection.register(selector);
        } catch (Throwable e) {
            setupFailed(e);
            connection.releaseQuietly();
        }
    }

    private void setupFailed(Throwable e) {
        counters().increment(Counter.INTERNAL_ERRORS);
        setupFailures.occurred(now(), () -> "could not set up an accepted connection; closed it: " + e);
    }

    private Counters counters() {
        return context.loop().counters();
    }

    private long now() {
        return context.loop().now();
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
        } catch (Throwable ignored) {
            // Closing is best effort: there is nothing left to tell the peer.
        }
    }
}
