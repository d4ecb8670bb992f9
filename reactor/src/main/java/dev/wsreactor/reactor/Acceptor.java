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
 * the reactor that will serve it (its own, or with one acceptor for several reactors, the least loaded). When accepting fails (most likely out of file descriptors)
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
    private final LoopContext context;
    private final TimerQueue timers;
    private final Consumer<SocketChannel> handOff;
    /** The back-off's deadline in the loop's timers. */
    final TimerQueue.Entry backoff = new TimerQueue.Entry() {
    };
    private State state = State.ACCEPTING;
    private long backoffNanos;

    /**
     * Watches a bound listening socket (see {@link ListeningSockets}); {@code handOff} receives each accepted
     * socket, still blocking and unregistered, and sets it up on the reactor that will serve it.
     */
    Acceptor(LoopContext context, ServerSocketChannel channel, Selector selector, TimerQueue timers,
            Consumer<SocketChannel> handOff) throws IOException {
        this.context = context;
        this.timers = timers;
        this.handOff = handOff;
        this.channel = channel;
        this.key = channel.register(selector, SelectionKey.OP_ACCEPT, this);
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
            handOff.accept(socket);
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
