package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The state table of {@link Transitions}, executed (h11's split: the connection feeds events, this object owns
 * the state). {@link #apply} looks the row up first, moves to its state, and only then {@link #run}s the row's
 * actions, in order; no other code acts on a change of state.
 *
 * <p>Besides the state it keeps what the open connection took over from the handshake (the request, the
 * subprotocol) and what {@link ConnectionListener#onClose} will report, which only the REPORT actions change.
 */
final class StateMachine implements FrameReader.Peer {

    private final ConnectionListener listener;
    private final OutboundQueue output;
    private final FrameWriter writer;
    private final FrameReader reader;
    private final Timers timers;
    private final ConnectionTrace trace;
    private OpeningHandshake opening; // until the handshake is decided

    private ConnectionState state = ConnectionState.HANDSHAKING;
    private HttpRequest request;
    private String subprotocol;
    private CloseCode closeCode = CloseCode.ABNORMAL_CLOSURE;
    private String closeReason = "";
    private Throwable internalError; // the first fault that failed the connection from inside

    StateMachine(Role role, ConnectionConfig config, ConnectionListener listener, OutboundQueue output,
            FrameWriter writer, Timers timers, OpeningHandshake opening, ConnectionTrace trace) {
        this.listener = listener;
        this.output = output;
        this.writer = writer;
        this.timers = timers;
        this.opening = opening;
        this.trace = trace;
        // Its Close frames come here; its messages are put together in the output's pool.
        this.reader = new FrameReader(role, config, listener, writer, output.pool(), this, trace);
    }

    /** The frames writer, for the application's sends ({@link Outgoing}). */
    FrameWriter writer() {
        return writer;
    }

    /** The timers, which the application's data frames count as activity for. */
    Timers timers() {
        return timers;
    }

    /** The frames reader, made here because the machine is what its Close frames drive. */
    FrameReader reader() {
        return reader;
    }

    ConnectionState state() {
        return state;
    }

    /** Bytes read: the handshake's while HANDSHAKING, then (the rest, or a later read's) frames, while frames are read. */
    void receive(ByteBuffer in) {
        readHandshake(in); // the bytes after the handshake's head stay in `in`, for the frames
        if (readsFrames()) {
            failIfViolated(reader.read(in));
        }
    }

    /** A timer is due: a keepalive Ping (§5.5.2; TIMEOUT follows if nothing answers it), a timeout or the idle close. */
    void timerDue(Timers.Due due) {
        if (due == Timers.Due.KEEPALIVE_PING) {
            writer.ping();
        } else if (due == Timers.Due.TIMEOUT) {
            apply(Trigger.TIMEOUT, null, null);
        } else if (due == Timers.Due.IDLE) {
            apply(Trigger.IDLE_TIMEOUT, null, null);
        }
    }

    /**
     * While HANDSHAKING, feeds the handshake phase and applies what it decides; bytes after its head stay, unless
     * the state now holds input (the decision is pending): then they are kept for after it.
     */
    void readHandshake(ByteBuffer in) {
        if (state == ConnectionState.HANDSHAKING) {
            Trigger decided = opening.read(in);
            if (decided != null) {
                apply(decided, null, null);
            }
        }
        if (state.holdsInput()) {
            opening.hold(in);
        }
    }

    /** The application's decision arrives; false, and dropped, when nothing waits for it any more (too late). */
    boolean decide(HandshakeDecision decision) {
        if (!state.holdsInput()) {
            return false;
        }
        apply(opening.decide(decision), null, null);
        return true;
    }

    /** Bytes held for after a pending decision (0 in any other state). */
    int heldBytes() {
        return state.holdsInput() ? opening.heldBytes() : 0;
    }

    /** Whether frames are read now: from the end of the handshake to a Close or a failure (§7.1.2, §7.1.7). */
    boolean readsFrames() {
        return state.readsInput() && state.phase() != ConnectionState.Phase.HANDSHAKING;
    }

    HttpRequest request() {
        return opening != null ? opening.request() : request;
    }

    String subprotocol() {
        return subprotocol;
    }

    CloseCode closeCode() {
        return closeCode;
    }

    Throwable internalError() {
        return internalError;
    }

    @Override
    public boolean answersPings() {
        return state.acceptsMessagesToSend();
    }

    @Override
    public void closeReceived(CloseCode code, String reason) {
        apply(Trigger.CLOSE_RECEIVED, code, reason);
    }

    @Override
    public void dataArrived() {
        timers.messageActivity();
    }

    /**
     * Looks the row for {@code trigger} up (a pair that cannot happen throws, naming both), moves to its state,
     * and runs its actions. {@code code} and {@code reason} are the event's: the application's close, the peer's
     * Close, or the violation; {@code null} for the other triggers.
     */
    void apply(Trigger trigger, CloseCode code, String reason) {
        Transition row = Transitions.next(state, trigger);
        trace.transition(row);
        state = row.to();
        run(row.actions(), code, reason);
    }

    /** §7.1.7 Fail the WebSocket Connection: the one funnel for every violation the reader finds. */
    void failIfViolated(ProtocolViolation violation) {
        if (violation != null) {
            trace.line("protocol violation: ", violation);
            apply(Trigger.PROTOCOL_VIOLATION, violation.code(), violation.reason());
        }
    }

    /** The INTERNAL_ERROR row; never throws. If its actions fail too, once more: from FAILING that drops the queue. */
    void failInternally(Throwable fault) {
        if (internalError == null) {
            internalError = fault;
        }
        trace.line("internal error: ", fault);
        try {
            apply(Trigger.INTERNAL_ERROR, null, null);
        } catch (Throwable again) {
            try {
                apply(Trigger.INTERNAL_ERROR, null, null);
            } catch (Throwable ignored) {
                // Nothing is left to try; the closing timer still ends the connection.
            }
        }
    }

    /** The one place where a state change has effects: the row's actions in order, then what the new state implies. */
    private void run(List<Action> actions, CloseCode code, String reason) {
        try {
            for (int i = 0; i < actions.size(); i++) {
                perform(actions.get(i), code, reason);
            }
        } finally {
            // Also when an action failed: the state has moved, and what it implies holds regardless.
            if (!state.readsInput() && !state.holdsInput()) {
                reader.stop(); // §5.5.1, §7.1.7: nothing the peer sends now is read
            }
            if (state.phase() != ConnectionState.Phase.HANDSHAKING && opening != null) {
                request = opening.request(); // the handshake is decided: the connection takes over what it read
                opening = null;
            }
        }
    }

    private void perform(Action action, CloseCode code, String reason) {
        switch (action) {
            case SEND_101, SEND_HTTP_ERROR -> queue(opening.response());
            case SEND_HTTP_500 -> queue(opening.internalErrorResponse());
            case USE_AGREEMENT -> useAgreement();
            case SEND_CLOSE, SEND_CLOSE_WITH_VIOLATION -> writer.close(code, reason);
            case SEND_CLOSE_ECHO -> writer.close(code.equals(CloseCode.NO_STATUS_RECEIVED)
                    ? CloseCode.NORMAL_CLOSURE : code, "");
            case SEND_CLOSE_KEEPALIVE_TIMEOUT, SEND_CLOSE_INTERNAL_ERROR, SEND_CLOSE_IDLE_TIMEOUT ->
                    writer.close(action.code(), action.reason());
            case REPORT_PEER_CLOSE, REPORT_VIOLATION -> report(code, reason);
            case REPORT_KEEPALIVE_TIMEOUT, REPORT_INTERNAL_ERROR, REPORT_NO_CLOSE_FRAME, REPORT_NO_CLOSE_CAME_BACK ->
                    report(action.code(), action.reason());
            case START_KEEPALIVE -> timers.startKeepalive();
            case START_CLOSING_TIMER -> timers.startClosingTimer();
            case DELIVER_OPEN -> listener.onOpen();
            case READ_HELD_INPUT -> reader.readLater(opening.takeHeld());
            case DELIVER_CLOSE -> listener.onClose(closeCode, closeReason);
            case CLOSE_TCP -> output.clear();
            case RELEASE -> release();
            default -> throw new AssertionError(action);
        }
    }

    private void useAgreement() {
        subprotocol = opening.subprotocol();
        PerMessageDeflate.Agreement deflate = opening.deflate();
        if (deflate != null) {
            writer.useDeflate(deflate);
            reader.useDeflate(deflate);
        }
    }

    private void queue(ByteBuffer response) {
        if (response != null) {
            output.append(response, false, 0);
        }
    }

    private void report(CloseCode code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    private void release() {
        timers.stop();
        output.clear();
        reader.release();
        writer.release();
    }
}
