package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * One WebSocket connection as a sans-I/O object: bytes in, events and bytes out, no sockets, threads or clocks.
 *
 * <p>The I/O layer feeds it what it reads ({@link #receive}), tells it when TCP is gone ({@link #transportClosed})
 * and when a deadline has passed ({@link #onTimer}), and the application asks it to send ({@link #sendText},
 * {@link #close}, ...). In return the connection calls its {@link ConnectionListener} with what arrived, appends
 * bytes to send to {@link #output()}, and says when TCP should be closed ({@link #shouldCloseTransport()}).
 *
 * <p>This class conducts; its parts do the work: the {@link OpeningHandshake} first, then the {@link FrameReader}
 * (decoder and {@link InboundMessage}) and the {@link FrameWriter}, with {@link Timers} and a
 * {@link ConnectionTrace}; the application's sends go through {@link Outgoing}. The state changes only through
 * the table in {@link Transitions}, which the {@link StateMachine} executes.
 *
 * <p>Nothing the peer sends makes it throw, and neither does a fault inside it: each entry point catches what
 * escapes and fails the connection through the table ({@link Trigger#INTERNAL_ERROR}, 1011).
 *
 * <p>Not thread-safe: one thread (the reactor's) owns a connection.
 */
public final class Connection {

    /** Returned by {@link #nextDeadlineNanos()} when no timer is running. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Role role;
    private final OutboundQueue output;
    private final FrameReader reader;
    private final Timers timers;
    private final StateMachine machine;

    private Connection(Role role, ConnectionConfig config, BufferPool pool, ConnectionListener listener,
            IntSupplier maskKeys, MessageDeflater sharedDeflater, Function<ConnectionTrace, OpeningHandshake> opening,
            long nowNanos) {
        this.role = role;
        this.output = new OutboundQueue(pool);
        ConnectionTrace trace = ConnectionTrace.of(config.tracer());
        FrameWriter writer = new FrameWriter(role, config, output, maskKeys, sharedDeflater, trace);
        this.timers = new Timers(config, nowNanos);
        this.machine = new StateMachine(role, config, listener, output, writer, timers, opening.apply(trace), trace);
        this.reader = machine.reader();
    }

    /**
     * A server-side connection that starts by reading the client's opening handshake.
     *
     * @param config the settings
     * @param pool where output buffers come from
     * @param listener what the application hears
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     * @return the connection, in state HANDSHAKING
     */
    public static Connection server(ConnectionConfig config, BufferPool pool, ConnectionListener listener, long nowNanos) {
        return server(config, pool, listener, null, nowNanos);
    }

    /**
     * A server-side connection that compresses with a deflater it shares with other connections (the I/O layer owns it;
     * it must be used by one thread). Without one ({@code null}) the connection makes its own on demand.
     *
     * @param config the settings
     * @param pool where output buffers come from
     * @param listener what the application hears
     * @param sharedDeflater the shared compressor, or {@code null}
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     * @return the connection, in state HANDSHAKING
     */
    public static Connection server(ConnectionConfig config, BufferPool pool, ConnectionListener listener,
            MessageDeflater sharedDeflater, long nowNanos) {
        return new Connection(Role.SERVER, config, pool, listener, () -> 0, sharedDeflater,
                trace -> OpeningHandshake.server(new ServerHandshake(config.handshake()), listener, trace), nowNanos);
    }

    /**
     * A client-side connection; its opening handshake request is queued in {@link #output()} at once.
     *
     * @param config the settings
     * @param handshake the opening handshake to send and check the answer to
     * @param maskKeys supplies a fresh masking key per frame (§5.3: unpredictable, from a strong source)
     * @param pool where output buffers come from
     * @param listener what the application hears
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     * @return the connection, in state HANDSHAKING
     */
    public static Connection client(ConnectionConfig config, ClientHandshake handshake, IntSupplier maskKeys,
            BufferPool pool, ConnectionListener listener, long nowNanos) {
        Connection connection = new Connection(Role.CLIENT, config, pool, listener, maskKeys, null,
                trace -> OpeningHandshake.client(handshake, trace), nowNanos);
        connection.output.append(handshake.request(), false, 0);
        return connection;
    }

    // ---- Input from and output to the I/O layer, and faults

    /**
     * Feeds bytes read from the peer. Every byte of {@code in} is consumed: parsed, kept for a later turn (see {@link
     * #hasPendingInput()}), or discarded once the state no longer reads input (§7.1.7: after failing, "MUST NOT
     * continue to attempt to process data").
     *
     * @param in the bytes read, between its position and limit
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void receive(ByteBuffer in, long nowNanos) {
        timers.clock(nowNanos);
        timers.bytesReceived();
        int limit = in.limit();
        try {
            machine.receive(in);
        } catch (Throwable fault) {
            in.limit(limit);
            failInternally(fault, nowNanos);
        }
        if (!machine.state().readsInput()) {
            in.position(in.limit());
        }
    }

    /**
     * {@return whether input waits inside the connection} One turn's slice of inflating ({@link
     * MessageInflater#SLICE}) left compressed bytes: the I/O layer reads no more for it until a later turn's {@link
     * #resumeInput}, which {@link #nextDeadlineNanos()} (the next nanosecond) brings as well.
     */
    public boolean hasPendingInput() {
        return reader.hasPendingInput();
    }

    /**
     * {@return whether bytes that arrived behind a request whose decision is pending are held} Kept for after the 101,
     * the I/O layer reads no more until the decision, so what is held stays within one read.
     */
    public boolean holdsInput() {
        return machine.heldBytes() > 0;
    }

    /**
     * The application's decision on a handshake it deferred ({@link ConnectionListener#onHandshakeRequest} returned
     * null): the 101 with the decision's headers and then the held bytes as frames, or the rejection. A decision
     * that comes too late (the client left, the handshake timer ran out, the server closed the connection) is
     * dropped.
     *
     * @param decision what the application decided
     * @param nowNanos the clock
     * @return false when the decision came too late and was dropped
     */
    public boolean decide(HandshakeDecision decision, long nowNanos) {
        timers.clock(nowNanos);
        try {
            return machine.decide(decision);
        } catch (Throwable fault) {
            failInternally(fault, nowNanos);
            return true;
        }
    }

    /**
     * Goes on with the input that waits, within a new slice; harmless when nothing waits.
     *
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void resumeInput(long nowNanos) {
        timers.clock(nowNanos);
        try {
            machine.failIfViolated(reader.resume());
        } catch (Throwable fault) {
            failInternally(fault, nowNanos);
        }
    }

    /**
     * The I/O layer stopped reading from the peer (its output is backed up, or input waits here): until {@link
     * #readingResumed}, keepalive neither pings nor times out; the handshake and closing timers run on.
     *
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void readingPaused(long nowNanos) {
        timers.clock(nowNanos);
        timers.readingPaused();
    }

    /**
     * The I/O layer reads from the peer again: keepalive's clock starts over from now.
     *
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void readingResumed(long nowNanos) {
        timers.clock(nowNanos);
        timers.readingResumed();
    }

    /**
     * The TCP connection is gone: the peer closed it, it broke, or the I/O layer closed it (§7.1.4).
     *
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void transportClosed(long nowNanos) {
        timers.clock(nowNanos);
        try {
            machine.apply(Trigger.TRANSPORT_CLOSED, null, null);
        } catch (Throwable fault) {
            failInternally(fault, nowNanos);
        }
    }

    /**
     * {@return when {@link #onTimer} next needs to run, on the {@code System.nanoTime()} scale, or {@link
     * #NO_DEADLINE}}
     */
    public long nextDeadlineNanos() {
        return reader.hasPendingInput() ? timers.now() + 1 : timers.deadline(); // input waits: the next turn
    }

    /**
     * Runs the timers, and input that waits: call when {@link #nextDeadlineNanos()} has passed (early is harmless).
     *
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void onTimer(long nowNanos) {
        resumeInput(nowNanos);
        try {
            machine.timerDue(timers.due());
        } catch (Throwable fault) {
            failInternally(fault, nowNanos);
        }
    }

    /**
     * Fails the connection because something inside this process failed, through the table's INTERNAL_ERROR rows
     * (an open connection sends Close 1011). Every entry point calls it for a fault that reaches it; the I/O layer
     * may call it for one it caught itself. Never throws.
     *
     * @param fault what failed
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void failInternally(Throwable fault, long nowNanos) {
        timers.clock(nowNanos);
        machine.failInternally(fault);
    }

    /** {@return the bytes waiting to be written, in order} */
    public OutboundQueue output() {
        return output;
    }

    /**
     * Whether the I/O layer should close the TCP connection now. The server closes it first (§7.1.1) once its last
     * bytes are written; a client waits for the server to do it, unless it failed the connection itself.
     *
     * @return true when TCP should be closed now
     */
    public boolean shouldCloseTransport() {
        ConnectionState state = machine.state();
        return state.closesTransportWhenFlushed(role) && (output.isEmpty() || state == ConnectionState.CLOSED);
    }

    // ---- Commands from the application

    /**
     * Sends a text message.
     *
     * @param text the message
     * @return false (and nothing sent) unless the connection is OPEN
     */
    public boolean sendText(CharSequence text) {
        return Outgoing.text(machine, text);
    }

    /**
     * Sends a binary message.
     *
     * @param data the message: its remaining bytes, consumed
     * @return false (and nothing sent) unless the connection is OPEN
     */
    public boolean sendBinary(ByteBuffer data) {
        return Outgoing.binary(machine, data);
    }

    /**
     * The bytes in a buffer of this connection's pool, now the caller's (for {@link #sendKept}, or back with {@code
     * output().pool().release}): from {@link ConnectionListener#onBinary}, the message's own buffer when it was put
     * together from several reads (no copy); otherwise a pooled copy.
     *
     * @param data the bytes to keep (not consumed)
     * @return the buffer, positioned at the bytes
     */
    public ByteBuffer keep(ByteBuffer data) {
        return reader.keepMessage(data);
    }

    /**
     * Sends a binary message from a buffer {@link #keep} returned, handing it over: written as it is, then given
     * back to the pool (at once if compressed, fragmented, small or refused). Keep no reference or view of it.
     *
     * @param kept the buffer; its remaining bytes are the message
     * @return false (and nothing sent, the buffer given back) unless the connection is OPEN
     */
    public boolean sendKept(ByteBuffer kept) {
        return Outgoing.binaryKept(machine, kept, output.pool());
    }

    /**
     * Sends one frame of a message the application streams (§5.4): {@code opcode} TEXT or BINARY for its first
     * frame, CONTINUATION for the others, {@code fin} on the last; uncompressed. The caller keeps the frames of one
     * message together (no other message's data frames between them) and a text message's bytes valid UTF-8.
     *
     * @param opcode TEXT or BINARY for a message's first frame, CONTINUATION for the rest
     * @param fin whether this is the message's last frame
     * @param payload the frame's payload, its remaining bytes (consumed)
     * @return false (and nothing sent) unless the connection is OPEN
     * @throws IllegalArgumentException for a control opcode
     */
    public boolean sendFragment(Opcode opcode, boolean fin, ByteBuffer payload) {
        return Outgoing.fragment(machine, opcode, fin, payload);
    }

    /**
     * Queues a frame encoded once for many connections (a broadcast), read-only; only a server can share frames.
     *
     * @param frame the encoded frame, between its position and limit
     * @return false (and nothing queued) unless the connection is OPEN and a server's
     */
    public boolean sendSharedFrame(ByteBuffer frame) {
        return Outgoing.shared(role, machine, frame);
    }

    /**
     * Sends a Ping (§5.5.2).
     *
     * @param payload up to 125 bytes of application data: its remaining bytes
     * @return false (and nothing sent) unless the connection is OPEN
     */
    public boolean sendPing(ByteBuffer payload) {
        return Outgoing.control(machine, Opcode.PING, payload);
    }

    /**
     * Sends an unsolicited Pong (§5.5.3, a unidirectional heartbeat).
     *
     * @param payload up to 125 bytes of application data: its remaining bytes
     * @return false (and nothing sent) unless the connection is OPEN
     */
    public boolean sendPong(ByteBuffer payload) {
        return Outgoing.control(machine, Opcode.PONG, payload);
    }

    /**
     * Starts the closing handshake (§7.1.2) with this code and reason. Harmless in any later state. Before the
     * handshake has completed there is nothing to close politely: TCP is simply closed.
     *
     * @param code a code that may be sent (§7.4.1: not 1005, 1006 or 1015)
     * @param reason at most 123 bytes of UTF-8 (§5.5: a control frame payload is at most 125 bytes)
     * @param nowNanos the current time on the {@code System.nanoTime()} scale
     */
    public void close(CloseCode code, String reason, long nowNanos) {
        timers.clock(nowNanos); // the closing timer starts now
        Outgoing.close(machine, code, reason);
    }

    // ---- What the connection knows

    /** {@return the state in the table, {@link Transitions}} */
    public ConnectionState state() {
        return machine.state();
    }

    /** {@return which end of the connection this is} */
    public Role role() {
        return role;
    }

    /** {@return the client's opening handshake request (server side), once it has been read; else {@code null}} */
    public HttpRequest request() {
        return machine.request();
    }

    /** {@return the subprotocol agreed in the opening handshake, or {@code null}} */
    public String subprotocol() {
        return machine.subprotocol();
    }

    /** {@return the close code {@link ConnectionListener#onClose} reports (or will report)} */
    public CloseCode closeCode() {
        return machine.closeCode();
    }

    /**
     * {@return the first fault that failed this connection from inside (see {@link #failInternally}), or {@code null}}
     */
    public Throwable internalError() {
        return machine.internalError();
    }
}
