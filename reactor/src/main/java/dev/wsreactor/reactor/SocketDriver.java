package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One socket's I/O, in the manner of Lea's Handler: attached to its selection key, it reads into the protocol,
 * writes what the protocol queued, holds reading back while the peer does not read (backpressure), half-closes
 * when the protocol is done with TCP, and releases everything at the end. Where it stands is one {@link IoState};
 * whether it waits for the socket to become writable is the OP_WRITE bit of what it asked the selector for.
 *
 * <p>Everything here runs on the loop's thread; the application's side of the connection is its
 * {@link ReactorConnection}.
 */
final class SocketDriver extends TimerQueue.Entry {

    /** Where a socket stands, as far as reading and closing go. */
    enum IoState {
        /** Reads whenever the socket is readable. */
        READING(true),
        /** Queued output is above the high-water mark: not read until it is down to the low-water mark. */
        READ_PAUSED(false),
        /** Our FIN is sent (§7.1.1: the server closes first); reads, and the protocol discards, until the peer's. */
        HALF_CLOSED(true),
        /** Socket closed, timer cancelled, every buffer given back. */
        RELEASED(false);

        private final boolean reads;

        IoState(boolean reads) {
            this.reads = reads;
        }
    }

    /** Reads per readiness event at most, so one busy connection cannot starve the others. */
    private static final int READS_PER_EVENT = 4;

    final long id;
    final Connection protocol;
    final ReactorConnection session;
    final Transport transport;
    final Loop loop;
    final ServerSettings settings;
    private final SocketChannel channel;
    private SelectionKey key;
    private IoState state = IoState.READING;
    /** What the selector was last asked to watch for. */
    private int interestOps;
    /** The index among the loop's open connections ({@link ConnectionSet}), or -1. */
    int slot = -1;
    /** Whether it is in the loop's list of connections to settle at the end of this iteration. */
    private boolean dirty;

    SocketDriver(long id, SocketChannel channel, InetSocketAddress remote, ConnectionConfig config,
            LoopContext context) {
        this(id, channel, remote, config, context, null);
    }

    /** With {@code client} set, the client's side of a connection we opened; {@code null}: a server's. */
    SocketDriver(long id, SocketChannel channel, InetSocketAddress remote, ConnectionConfig config,
            LoopContext context, ClientHandshake client) {
        this.id = id;
        this.channel = channel;
        this.loop = context.loop();
        this.settings = context.settings();
        this.session = new ReactorConnection(this, remote, config, context, client);
        this.protocol = session.protocol;
        this.transport = context.tls() == null
                ? new PlainTransport(channel, protocol, context.readBuffer(), loop.counters())
                : new TlsTransport(id, channel, protocol, context.tls(), loop, this::resumeInput);
    }

    void register(Selector selector) throws ClosedChannelException {
        interestOps = SelectionKey.OP_READ;
        key = channel.register(selector, interestOps, this);
    }

    /** Marks it to be settled at the end of this iteration; false if it already is, or is released. */
    boolean markToSettle() {
        if (dirty || state == IoState.RELEASED) {
            return false;
        }
        dirty = true;
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the loop calls

    /** The selector says the socket is ready: write first (it frees room), then read, then settle. */
    void onReady(int readyOps) {
        if (!key.isValid()) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            write();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != IoState.RELEASED) {
            read();
        }
        settle();
    }

    /** This connection's deadline has come (see {@link TimerQueue}). */
    void onDeadline(long nowNanos) {
        protocol.onTimer(nowNanos);
        settle();
    }

    /** On the loop, after a TLS handshake task ran elsewhere: go on with the input where it stopped. */
    void resumeInput() {
        if (state == IoState.RELEASED) {
            return;
        }
        try {
            ConnectionState before = protocol.state();
            if (afterInput(before, transport.resumeInput(loop.now()))) {
                settle();
            }
        } catch (Throwable error) {
            fail(error);
        }
    }

    /**
     * Brings the socket in line with the protocol: write what is queued, close TCP when the protocol says so,
     * apply backpressure, and re-arm the timer if the next deadline moved earlier.
     */
    void settle() {
        dirty = false;
        if (state == IoState.RELEASED) {
            return;
        }
        if (!waitsForWritable() && state != IoState.HALF_CLOSED && transport.hasOutput()) {
            write();
            if (state == IoState.RELEASED) {
                return;
            }
        }
        if (protocol.shouldCloseTransport()) {
            closeTransport();
            if (state == IoState.RELEASED) {
                return;
            }
        }
        applyBackpressure(transport.pendingBytes());
        updateInterest(waitsForWritable()); // also when a TLS handshake task started or ended elsewhere
        long next = protocol.nextDeadlineNanos();
        if (!isScheduled() || next - deadline < 0) {
            loop.schedule(this, next);
        }
        session.publish();
    }

    /** Something nothing else caught went wrong with this connection: log it and drop this connection alone. */
    void fail(Throwable error) {
        ReactorLog.LOG.log(Level.WARNING, "connection " + id + ": unexpected failure; dropping it", error);
        releaseQuietly();
    }

    /** Closes the socket, tells the protocol (which tells the handler) and gives back every buffer. */
    void release() {
        if (state == IoState.RELEASED) {
            return;
        }
        state = IoState.RELEASED;
        key.cancel();
        Acceptor.closeQuietly(channel);
        loop.released(this);
        transport.release();
        try {
            if (protocol.state() != ConnectionState.CLOSED) {
                protocol.transportClosed(loop.now());
            }
        } finally {
            protocol.output().clear();
            session.publish();
        }
    }

    void releaseQuietly() {
        try {
            release();
        } catch (Throwable error) {
            ReactorLog.LOG.log(Level.WARNING, "connection " + id + ": failure while closing", error);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading and writing

    private void read() {
        long now = loop.now();
        // Input that waits inside the protocol (a slice of inflating per turn) goes first, on its timer.
        for (int i = 0; i < READS_PER_EVENT && !protocol.hasPendingInput(); i++) {
            ConnectionState before = protocol.state();
            int outcome = transport.read(now);
            if (!afterInput(before, outcome) || outcome == Transport.DRAINED || !state.reads
                    || transport.readBlocked()) {
                return;
            }
        }
    }

    /** Counts what the input did to the protocol and releases at the end of the stream; false once released. */
    private boolean afterInput(ConnectionState before, int outcome) {
        ConnectionState after = protocol.state();
        if (before != after) {
            if (after == ConnectionState.FAILING) {
                loop.counters().increment(Counter.PROTOCOL_ERRORS);
            } else if (after == ConnectionState.REJECTING && before == ConnectionState.HANDSHAKING) {
                loop.counters().increment(Counter.HANDSHAKES_REJECTED);
            }
        }
        if (outcome == Transport.EOF) {
            release();
            return false;
        }
        return true;
    }

    /** Writes what the connection has queued, at once; only what does not fit waits for OP_WRITE. */
    private void write() {
        int outcome = transport.write();
        if (outcome == Transport.DONE && transport.inputAwaitsWrite()) {
            // A handshake message had waited for the socket: what was read after it goes on now.
            ConnectionState before = protocol.state();
            if (!afterInput(before, transport.resumeInput(loop.now()))) {
                return;
            }
            outcome = transport.write();
        }
        if (outcome == Transport.FAILED) {
            release(); // the peer is gone; what it did not get is reported as a 1006 close
            return;
        }
        updateInterest(outcome == Transport.PENDING);
    }

    private boolean waitsForWritable() {
        return (interestOps & SelectionKey.OP_WRITE) != 0;
    }

    /** Asks the selector for what the state allows: reading unless paused or blocked, writing if wanted. */
    private void updateInterest(boolean writable) {
        if (state == IoState.RELEASED || !key.isValid()) {
            return;
        }
        int ops = (state.reads && !transport.readBlocked() ? SelectionKey.OP_READ : 0)
                | (writable ? SelectionKey.OP_WRITE : 0);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Backpressure and closing

    private void applyBackpressure(long queued) {
        if (queued > settings.maxQueuedBytes && protocol.state() == ConnectionState.OPEN) {
            // The peer does not read what we send: memory must stay bounded whatever a client does.
            loop.counters().increment(Counter.SLOW_CONSUMERS_CLOSED);
            ReactorLog.LOG.log(Level.INFO, "connection " + id + ": " + queued + " bytes queued, over the limit of "
                    + settings.maxQueuedBytes + "; closing it as a slow consumer (1008)");
            protocol.close(CloseCode.POLICY_VIOLATION, "slow consumer: too much data queued", loop.now());
        }
        if (state == IoState.READING && queued > settings.highWaterMark) {
            state = IoState.READ_PAUSED; // stop reading (and so stop producing echoes) until the peer catches up
        } else if (state == IoState.READ_PAUSED && queued <= settings.lowWaterMark) {
            state = IoState.READING;
        }
    }

    /**
     * The protocol is done with TCP. The server closes first (§7.1.1) but half-closes: it sends its FIN and reads
     * until the peer's, so that unread bytes from the peer do not turn the close into a reset that could destroy
     * our last frame (or HTTP response) before the peer reads it. The protocol's close timer bounds the wait.
     */
    private void closeTransport() {
        if (protocol.state() == ConnectionState.CLOSED) {
            release();
            return;
        }
        if (state == IoState.HALF_CLOSED) {
            return;
        }
        int outcome = transport.shutdownOutput();
        if (outcome == Transport.FAILED) {
            release();
        } else if (outcome == Transport.PENDING) {
            updateInterest(true); // the last bytes (TLS close_notify) first; settled again after they go
        } else {
            state = IoState.HALF_CLOSED;
            updateInterest(waitsForWritable());
        }
    }
}
