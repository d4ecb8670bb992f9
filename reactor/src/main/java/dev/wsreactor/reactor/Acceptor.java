package dev.wsreactor.reactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A listening socket, in the manner of Lea's Acceptor: it accepts what the backlog holds and hands each socket to
 * the reactor that will serve it (its own, or with one acceptor for several reactors, the least loaded), unless the
 * server-wide caps refuse it. When accepting fails (most likely out of file descriptors) it stops asking for a
 * while, doubling the pause while it keeps failing, instead of spinning on the error, and recovers by itself.
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
    private final LoopContext context;
    private final TimerQueue timers;
    private final Consumer<SocketChannel> handOff;
    private final ServerLimits limits;
    private final ReactorLog.Throttled acceptFailures = new ReactorLog.Throttled(Level.WARNING, LOG_INTERVAL_NANOS);
    private final ReactorLog.Throttled refusals = new ReactorLog.Throttled(Level.WARNING, LOG_INTERVAL_NANOS);
    /** The back-off's deadline in the loop's timers. */
    final TimerQueue.Entry backoff = new TimerQueue.Entry() {
    };
    private State state = State.ACCEPTING;
    private long backoffNanos;
    /** Accepts that failed since the backlog was last found empty. */
    private long failedAccepts;

    /**
     * Watches a bound listening socket (see {@link ListeningSockets}); {@code handOff} receives each accepted and
     * admitted socket, still blocking and unregistered, and sets it up on the reactor that will serve it.
     */
    Acceptor(LoopContext context, ServerSocketChannel channel, Selector selector, TimerQueue timers,
            Consumer<SocketChannel> handOff) throws IOException {
        this.context = context;
        this.timers = timers;
        this.handOff = handOff;
        this.channel = channel;
        this.limits = context.settings().limits;
        this.key = channel.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    /**
     * The listening socket is readable: accept what is waiting, a bounded number at a time. Each socket is
     * admitted by the server-wide caps first ({@link ServerLimits#admit}) and refused at once when over them.
     * Never throws: a failure to accept backs off.
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
                handOff.accept(socket); // the reactor that takes it gives its place in the limits back
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
                + " ms, doubling to 1 s while it fails, while the open connections are served");
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
