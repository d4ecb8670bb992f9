package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.handshake.ClientHandshake;
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
 * Nothing that goes wrong here ends the loop: the loop hands what escapes to {@link #fail}.
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
    /** Its part in the server-wide counts (the limits, and the output the server's budget adds up), once registered. */
    ServerShare share;
    private final SocketChannel channel;
    private SelectionKey key;
    private IoState state = IoState.READING;
    private long pausedAt; // when reading was paused for backpressure: the slow-consumer timeout runs from here
    private int interestOps; // what the selector was last asked to watch for
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
        this.transport = Transports.open(this, channel, context, client == null);
    }

    /** Registers it with the loop's selector; from then on it owns the socket's place in the server's limits. */
    void register(Selector selector) throws ClosedChannelException {
        interestOps = SelectionKey.OP_READ;
        key = channel.register(selector, interestOps, this);
        share = new ServerShare(settings.limits, loop.counters());
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
        ConnectionState before = protocol.state();
        if (protocol.hasPendingInput()) { // a slice of the input that waits, one per turn; the timers wait for it
            protocol.resumeInput(nowNanos);
            afterInput(before, Transport.DRAINED);
        } else {
            protocol.onTimer(nowNanos);
            if (before.phase() == ConnectionState.Phase.HANDSHAKING && protocol.state() == ConnectionState.REJECTING
                    && protocol.internalError() == null) {
                loop.counters().increment(Counter.HANDSHAKES_TIMED_OUT); // §10.4: a slow or silent client
                release(); // nothing of ours is queued to protect with a half-close
                return;
            }
            if (protocol.nextDeadlineNanos() - nowNanos <= 0) { // its timers cannot run: it would fire every turn
                fail(new IllegalStateException("the connection's timers did not advance past " + nowNanos));
                return;
            }
        }
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
        if (share.handshaking() && protocol.state().phase() != ConnectionState.Phase.HANDSHAKING) {
            share.handshakeOver();
        }
        applyBackpressure(transport.pendingBytes());
        if (state == IoState.RELEASED) {
            return;
        }
        updateInterest(waitsForWritable()); // also when a TLS handshake task started or ended elsewhere
        share.output(transport.ownedBytes());
        long next = Math.min(protocol.nextDeadlineNanos(), slowConsumerDeadline());
        if (!isScheduled() || next - deadline < 0) {
            loop.schedule(this, next);
        }
        session.sender.publish();
    }

    /**
     * A fault nothing else caught (a bug of ours, an Error): this connection alone fails through the protocol's
     * INTERNAL_ERROR rows (an open one sends 1011), counted and logged when released; a second drops it. Never throws.
     */
    void fail(Throwable error) {
        try {
            if (state != IoState.RELEASED && protocol.internalError() == null) {
                protocol.failInternally(error, loop.now());
                settle();
                return;
            }
            ReactorLog.warning("connection " + id + ": another fault; dropping it", error);
        } catch (Throwable again) {
            // Dropped below.
        }
        releaseQuietly();
    }

    /** Closes the socket, tells the protocol (which tells the handler) and gives back every buffer. */
    void release() {
        if (state == IoState.RELEASED) {
            return;
        }
        state = IoState.RELEASED;
        key.cancel(); // only a registered connection is ever released
        Acceptor.closeQuietly(channel);
        share.giveBack();
        loop.released(this);
        try {
            transport.release();
            if (protocol.state() != ConnectionState.CLOSED) {
                protocol.transportClosed(loop.now());
            }
        } finally {
            protocol.output().clear();
            session.sender.publish();
        }
        if (protocol.internalError() != null) { // a fault of ours, contained by the protocol or by fail()
            loop.counters().increment(Counter.INTERNAL_ERRORS);
            ReactorLog.warning("connection " + id + ": closed after a fault inside the server (1011 where it"
                    + " could be sent)", protocol.internalError());
        }
    }

    /** As {@link #release}, but never throws: what fails is logged, and the socket is closed regardless. */
    void releaseQuietly() {
        try {
            release();
        } catch (Throwable error) {
            Acceptor.closeQuietly(channel);
            ReactorLog.warning("connection " + id + ": failure while closing", error);
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
                    || transport.readBlocked() || protocol.holdsInput() || session.events.waitsForHandler()) {
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
                // The response is queued, not yet written: its status line says the status.
                loop.counters().handshakeRejected(Counters.status(protocol.output().peekAll()));
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

    /**
     * Asks the selector for what the state allows: reading unless paused, blocked, or input waits inside the protocol
     * (a slice per turn, or held for a handshake decision), writing if wanted. The protocol hears when reading
     * stops and starts again, so that keepalive does not take a pause of ours for a silent peer.
     */
    private void updateInterest(boolean writable) {
        if (state == IoState.RELEASED || !key.isValid()) {
            return;
        }
        boolean reads = state.reads && !transport.readBlocked() && !(protocol.hasPendingInput() || protocol.holdsInput())
                && !session.events.waitsForHandler();
        int ops = (reads ? SelectionKey.OP_READ : 0) | (writable ? SelectionKey.OP_WRITE : 0);
        if (ops == interestOps) {
            return;
        }
        boolean read = (interestOps & SelectionKey.OP_READ) != 0;
        interestOps = ops;
        key.interestOps(ops);
        if (reads && !read) {
            protocol.readingResumed(loop.now());
        } else if (read && !reads) {
            protocol.readingPaused(loop.now());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Backpressure and closing

    /**
     * Stops reading a peer that does not read what we send (so it stops producing echoes), reads it again once it
     * caught up, and closes it as a slow consumer when it passed the hard limit or its output stayed above the
     * high-water mark for the slow-consumer timeout: memory stays bounded whatever a client does.
     */
    private void applyBackpressure(long queued) {
        if (protocol.state() == ConnectionState.OPEN) {
            if (queued > settings.maxQueuedBytes) {
                closeAsSlowConsumer(queued + " bytes queued, over the hard limit of " + settings.maxQueuedBytes);
            } else if (state == IoState.READ_PAUSED && queued > settings.highWaterMark
                    && loop.now() - slowConsumerDeadline() >= 0) {
                closeAsSlowConsumer(queued + " bytes queued, above the high-water mark for "
                        + settings.slowConsumerTimeoutNanos / 1_000_000 + " ms");
            }
            if (state == IoState.RELEASED) {
                return;
            }
            queued = transport.pendingBytes();
        }
        if (state == IoState.READING && queued > settings.highWaterMark) {
            state = IoState.READ_PAUSED;
            pausedAt = loop.now();
        } else if (state == IoState.READ_PAUSED && queued <= settings.lowWaterMark) {
            state = IoState.READING;
        }
    }

    /** When a paused connection becomes a slow consumer, or {@code Long.MAX_VALUE}. */
    private long slowConsumerDeadline() {
        return state == IoState.READ_PAUSED && protocol.state() == ConnectionState.OPEN
                ? pausedAt + settings.slowConsumerTimeoutNanos : Long.MAX_VALUE;
    }

    /**
     * Closes an open connection as a slow consumer (1008): a Close cannot reach a peer that does not read, so the
     * frames it has not started to receive go first (their memory at once), then the closing timer ends it.
     */
    void closeAsSlowConsumer(String why) {
        loop.counters().increment(Counter.SLOW_CONSUMERS_CLOSED);
        ReactorLog.info("connection " + id + ": " + why + "; closing it as a slow consumer (1008)");
        protocol.output().discardUnsent();
        session.sender.unsentDropped(); // their futures fail now, with 1008, before the Close takes their place
        protocol.close(CloseCode.POLICY_VIOLATION, "slow consumer", loop.now());
        if (transport.pendingBytes() > settings.highWaterMark) {
            release(); // what is left is one frame too big to go out in time: no Close would get through
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
