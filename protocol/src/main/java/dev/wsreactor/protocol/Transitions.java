package dev.wsreactor.protocol;

import static dev.wsreactor.protocol.Action.CLOSE_TCP;
import static dev.wsreactor.protocol.Action.DELIVER_CLOSE;
import static dev.wsreactor.protocol.Action.DELIVER_OPEN;
import static dev.wsreactor.protocol.Action.READ_HELD_INPUT;
import static dev.wsreactor.protocol.Action.RELEASE;
import static dev.wsreactor.protocol.Action.REPORT_INTERNAL_ERROR;
import static dev.wsreactor.protocol.Action.REPORT_KEEPALIVE_TIMEOUT;
import static dev.wsreactor.protocol.Action.REPORT_NO_CLOSE_CAME_BACK;
import static dev.wsreactor.protocol.Action.REPORT_NO_CLOSE_FRAME;
import static dev.wsreactor.protocol.Action.REPORT_PEER_CLOSE;
import static dev.wsreactor.protocol.Action.REPORT_VIOLATION;
import static dev.wsreactor.protocol.Action.SEND_101;
import static dev.wsreactor.protocol.Action.SEND_CLOSE;
import static dev.wsreactor.protocol.Action.SEND_CLOSE_ECHO;
import static dev.wsreactor.protocol.Action.SEND_CLOSE_IDLE_TIMEOUT;
import static dev.wsreactor.protocol.Action.SEND_CLOSE_INTERNAL_ERROR;
import static dev.wsreactor.protocol.Action.SEND_CLOSE_KEEPALIVE_TIMEOUT;
import static dev.wsreactor.protocol.Action.SEND_CLOSE_WITH_VIOLATION;
import static dev.wsreactor.protocol.Action.SEND_HTTP_500;
import static dev.wsreactor.protocol.Action.SEND_HTTP_ERROR;
import static dev.wsreactor.protocol.Action.START_CLOSING_TIMER;
import static dev.wsreactor.protocol.Action.START_KEEPALIVE;
import static dev.wsreactor.protocol.Action.USE_AGREEMENT;
import static dev.wsreactor.protocol.ConnectionState.AWAITING_DECISION;
import static dev.wsreactor.protocol.ConnectionState.CLOSED;
import static dev.wsreactor.protocol.ConnectionState.CLOSE_ACKNOWLEDGED;
import static dev.wsreactor.protocol.ConnectionState.CLOSING_BY_PEER;
import static dev.wsreactor.protocol.ConnectionState.CLOSING_BY_US;
import static dev.wsreactor.protocol.ConnectionState.FAILING;
import static dev.wsreactor.protocol.ConnectionState.HANDSHAKING;
import static dev.wsreactor.protocol.ConnectionState.OPEN;
import static dev.wsreactor.protocol.ConnectionState.REJECTING;
import static dev.wsreactor.protocol.Trigger.CLOSE_RECEIVED;
import static dev.wsreactor.protocol.Trigger.CLOSE_SENT;
import static dev.wsreactor.protocol.Trigger.DECISION_DEFERRED;
import static dev.wsreactor.protocol.Trigger.HANDSHAKE_ACCEPTED;
import static dev.wsreactor.protocol.Trigger.HANDSHAKE_REJECTED;
import static dev.wsreactor.protocol.Trigger.IDLE_TIMEOUT;
import static dev.wsreactor.protocol.Trigger.INTERNAL_ERROR;
import static dev.wsreactor.protocol.Trigger.PROTOCOL_VIOLATION;
import static dev.wsreactor.protocol.Trigger.TIMEOUT;
import static dev.wsreactor.protocol.Trigger.TRANSPORT_CLOSED;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The whole connection state machine, as data.
 *
 * <p>Rule 1 (after h11): every change of {@link ConnectionState} happens through this table. {@code Connection}
 * never assigns a state by itself; it looks the row up with {@link #next}, moves to its state, and then performs
 * the row's {@link Action}s in order, in one method. So the README's diagram and tables, generated from
 * {@link #all()}, show every move the code can make and everything it does on the way.
 *
 * <p>Rule 2: a pair (state, trigger) that is not in the table cannot happen. Asking for it is a bug in this
 * module, reported as an {@link IllegalStateException} that names both, never ignored silently. Triggers that
 * the peer, the clock or a fault can cause at any time (TIMEOUT, TRANSPORT_CLOSED, INTERNAL_ERROR) have a row for
 * every state in which they can occur.
 */
public final class Transitions {

    private static final List<Transition> TABLE = List.of(
            // The opening handshake.
            row(HANDSHAKING, HANDSHAKE_ACCEPTED, OPEN, "4.2.2", SEND_101, USE_AGREEMENT, START_KEEPALIVE, DELIVER_OPEN),
            row(HANDSHAKING, HANDSHAKE_REJECTED, REJECTING, "4.2.1", SEND_HTTP_ERROR, START_CLOSING_TIMER),
            row(HANDSHAKING, DECISION_DEFERRED, AWAITING_DECISION, "4.2.2"), // the state holds what arrives early
            row(HANDSHAKING, CLOSE_SENT, REJECTING, "4.2.2", START_CLOSING_TIMER), // the server is going away
            row(HANDSHAKING, TIMEOUT, REJECTING, "10.4", START_CLOSING_TIMER), // a slow or silent client is dropped
            row(HANDSHAKING, INTERNAL_ERROR, REJECTING, "4.2.2", SEND_HTTP_500, START_CLOSING_TIMER),
            row(HANDSHAKING, TRANSPORT_CLOSED, CLOSED, "7.1.4", RELEASE), // never opened: nothing to deliver

            // The application decides later (§4.2.2: "the server MAY ... abort"); its timer is the handshake's.
            row(AWAITING_DECISION, HANDSHAKE_ACCEPTED, OPEN, "4.2.2", SEND_101, USE_AGREEMENT, START_KEEPALIVE,
                    READ_HELD_INPUT, DELIVER_OPEN),
            row(AWAITING_DECISION, HANDSHAKE_REJECTED, REJECTING, "4.2.1", SEND_HTTP_ERROR, START_CLOSING_TIMER),
            row(AWAITING_DECISION, CLOSE_SENT, REJECTING, "4.2.2", START_CLOSING_TIMER),
            row(AWAITING_DECISION, TIMEOUT, REJECTING, "10.4", START_CLOSING_TIMER), // as HANDSHAKING's timeout
            row(AWAITING_DECISION, INTERNAL_ERROR, REJECTING, "4.2.2", SEND_HTTP_500, START_CLOSING_TIMER),
            row(AWAITING_DECISION, TRANSPORT_CLOSED, CLOSED, "7.1.4", RELEASE), // a late decision is dropped

            // OPEN: the closing handshake starts on either side, or the connection fails.
            row(OPEN, CLOSE_SENT, CLOSING_BY_US, "7.1.2", SEND_CLOSE, START_CLOSING_TIMER),
            row(OPEN, CLOSE_RECEIVED, CLOSING_BY_PEER, "5.5.1", REPORT_PEER_CLOSE, SEND_CLOSE_ECHO,
                    START_CLOSING_TIMER),
            row(OPEN, PROTOCOL_VIOLATION, FAILING, "7.1.7", REPORT_VIOLATION, SEND_CLOSE_WITH_VIOLATION,
                    START_CLOSING_TIMER),
            row(OPEN, TIMEOUT, FAILING, "5.5.2", REPORT_KEEPALIVE_TIMEOUT, SEND_CLOSE_KEEPALIVE_TIMEOUT,
                    START_CLOSING_TIMER),
            row(OPEN, IDLE_TIMEOUT, CLOSING_BY_US, "7.4.1", SEND_CLOSE_IDLE_TIMEOUT, START_CLOSING_TIMER),
            row(OPEN, INTERNAL_ERROR, FAILING, "7.4.1", REPORT_INTERNAL_ERROR, SEND_CLOSE_INTERNAL_ERROR,
                    START_CLOSING_TIMER),
            row(OPEN, TRANSPORT_CLOSED, CLOSED, "7.1.5", REPORT_NO_CLOSE_FRAME, RELEASE, DELIVER_CLOSE),

            // CLOSING_BY_US: our Close is out; the peer may still send data until it sees it.
            row(CLOSING_BY_US, CLOSE_RECEIVED, CLOSE_ACKNOWLEDGED, "7.1.1", REPORT_PEER_CLOSE, START_CLOSING_TIMER),
            row(CLOSING_BY_US, CLOSE_SENT, CLOSING_BY_US, "5.5.1"), // our Close is already out
            row(CLOSING_BY_US, PROTOCOL_VIOLATION, FAILING, "7.1.7", REPORT_VIOLATION, START_CLOSING_TIMER),
            row(CLOSING_BY_US, TIMEOUT, FAILING, "7.1.1", REPORT_NO_CLOSE_CAME_BACK, START_CLOSING_TIMER),
            row(CLOSING_BY_US, INTERNAL_ERROR, FAILING, "7.4.1", REPORT_INTERNAL_ERROR, START_CLOSING_TIMER),
            row(CLOSING_BY_US, TRANSPORT_CLOSED, CLOSED, "7.1.5", REPORT_NO_CLOSE_FRAME, RELEASE, DELIVER_CLOSE),

            // The states that only wait for TCP to close; a fault while failing drops what is queued.
            row(CLOSING_BY_PEER, CLOSE_SENT, CLOSING_BY_PEER, "5.5.1"),
            row(CLOSING_BY_PEER, TIMEOUT, CLOSED, "7.1.1", RELEASE, DELIVER_CLOSE),
            row(CLOSING_BY_PEER, INTERNAL_ERROR, FAILING, "7.4.1", REPORT_INTERNAL_ERROR, START_CLOSING_TIMER),
            row(CLOSING_BY_PEER, TRANSPORT_CLOSED, CLOSED, "7.1.4", RELEASE, DELIVER_CLOSE),
            row(CLOSE_ACKNOWLEDGED, CLOSE_SENT, CLOSE_ACKNOWLEDGED, "5.5.1"),
            row(CLOSE_ACKNOWLEDGED, TIMEOUT, CLOSED, "7.1.1", RELEASE, DELIVER_CLOSE),
            row(CLOSE_ACKNOWLEDGED, INTERNAL_ERROR, FAILING, "7.4.1", REPORT_INTERNAL_ERROR, START_CLOSING_TIMER),
            row(CLOSE_ACKNOWLEDGED, TRANSPORT_CLOSED, CLOSED, "7.1.4", RELEASE, DELIVER_CLOSE),
            row(FAILING, CLOSE_SENT, FAILING, "7.1.7"),
            row(FAILING, TIMEOUT, CLOSED, "7.1.1", RELEASE, DELIVER_CLOSE),
            row(FAILING, INTERNAL_ERROR, FAILING, "7.1.7", CLOSE_TCP),
            row(FAILING, TRANSPORT_CLOSED, CLOSED, "7.1.4", RELEASE, DELIVER_CLOSE),
            row(REJECTING, CLOSE_SENT, REJECTING, "4.2.2"),
            row(REJECTING, TIMEOUT, CLOSED, "7.1.1", RELEASE),
            row(REJECTING, INTERNAL_ERROR, REJECTING, "4.2.2", CLOSE_TCP),
            row(REJECTING, TRANSPORT_CLOSED, CLOSED, "7.1.4", RELEASE),

            // CLOSED absorbs what may still arrive from the application, the I/O layer or a late fault.
            row(CLOSED, CLOSE_SENT, CLOSED, "7.1.4"),
            row(CLOSED, TRANSPORT_CLOSED, CLOSED, "7.1.4"),
            row(CLOSED, INTERNAL_ERROR, CLOSED, "7.1.4"));

    private static final Map<ConnectionState, Map<Trigger, Transition>> INDEX = index(TABLE);

    private Transitions() {
    }

    /** {@return every row, in the order written above} */
    public static List<Transition> all() {
        return TABLE;
    }

    /**
     * Looks up the row for a state and a trigger.
     *
     * @param from the state the connection is in
     * @param trigger what happened
     * @return the row for this pair, or {@code null} when the pair cannot happen
     */
    public static Transition find(ConnectionState from, Trigger trigger) {
        return INDEX.get(from).get(trigger);
    }

    /**
     * The row for this pair; asking for a pair that cannot happen is a bug in the caller.
     *
     * @param from the state the connection is in
     * @param trigger what happened
     * @return the row
     * @throws IllegalStateException if the pair cannot happen
     */
    public static Transition next(ConnectionState from, Trigger trigger) {
        Transition row = find(from, trigger);
        if (row == null) {
            throw new IllegalStateException("no transition for " + trigger + " in state " + from);
        }
        return row;
    }

    private static Transition row(ConnectionState from, Trigger trigger, ConnectionState to, String rfc,
            Action... actions) {
        return new Transition(from, trigger, to, List.of(actions), "§" + rfc);
    }

    private static Map<ConnectionState, Map<Trigger, Transition>> index(List<Transition> table) {
        Map<ConnectionState, Map<Trigger, Transition>> index = new EnumMap<>(ConnectionState.class);
        for (ConnectionState state : ConnectionState.values()) {
            index.put(state, new EnumMap<>(Trigger.class));
        }
        List<String> duplicates = new ArrayList<>();
        for (Transition row : table) {
            if (index.get(row.from()).put(row.trigger(), row) != null) {
                duplicates.add(row.from() + "/" + row.trigger());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new ExceptionInInitializerError("duplicate rows in the state table: " + duplicates);
        }
        return index;
    }
}
