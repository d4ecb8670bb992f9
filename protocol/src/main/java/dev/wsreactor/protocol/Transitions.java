package dev.wsreactor.protocol;

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
import static dev.wsreactor.protocol.Trigger.HANDSHAKE_ACCEPTED;
import static dev.wsreactor.protocol.Trigger.HANDSHAKE_REJECTED;
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
 * never assigns a state by itself; it asks {@link #next} and applies the answer, so the README's diagram, which
 * is generated from {@link #all()}, shows every move the code can make.
 *
 * <p>Rule 2: a pair (state, trigger) that is not in the table cannot happen. Asking for it is a bug in this
 * module, reported as an {@link IllegalStateException} that names both, never ignored silently. Triggers that
 * the peer or the clock can cause at any time (TIMEOUT, TRANSPORT_CLOSED) have a row for every state in which
 * they can occur.
 */
public final class Transitions {

    private static final List<Transition> TABLE = List.of(
            // The opening handshake.
            row(HANDSHAKING, HANDSHAKE_ACCEPTED, OPEN, "send 101 Switching Protocols; deliver open", "4.2.2"),
            row(HANDSHAKING, HANDSHAKE_REJECTED, REJECTING, "send the HTTP error (or plain HTTP) response", "4.2.1"),
            row(HANDSHAKING, CLOSE_SENT, REJECTING, "send nothing; the server is going away", "4.2.2"),
            row(HANDSHAKING, TIMEOUT, REJECTING, "send nothing; a slow or silent client is dropped", "10.4"),
            row(HANDSHAKING, TRANSPORT_CLOSED, CLOSED, "deliver nothing: the connection never opened", "7.1.4"),

            // OPEN: the closing handshake starts on either side, or the connection fails.
            row(OPEN, CLOSE_SENT, CLOSING_BY_US, "send Close; start the closing timer", "7.1.2"),
            row(OPEN, CLOSE_RECEIVED, CLOSING_BY_PEER, "send Close echoing the peer's code", "5.5.1"),
            row(OPEN, PROTOCOL_VIOLATION, FAILING, "send Close with the violation's code", "7.1.7"),
            row(OPEN, TIMEOUT, FAILING, "no Pong to our keepalive Ping: send Close 1011", "5.5.2"),
            row(OPEN, TRANSPORT_CLOSED, CLOSED, "deliver close 1006: no Close frame was received", "7.1.5"),

            // CLOSING_BY_US: our Close is out; the peer may still send data until it sees it.
            row(CLOSING_BY_US, CLOSE_RECEIVED, CLOSE_ACKNOWLEDGED, "send nothing more; the server closes TCP", "7.1.1"),
            row(CLOSING_BY_US, CLOSE_SENT, CLOSING_BY_US, "ignore: Close was already sent", "5.5.1"),
            row(CLOSING_BY_US, PROTOCOL_VIOLATION, FAILING, "send nothing more: our Close is already out", "7.1.7"),
            row(CLOSING_BY_US, TIMEOUT, FAILING, "no Close came back in time: give up", "7.1.1"),
            row(CLOSING_BY_US, TRANSPORT_CLOSED, CLOSED, "deliver close 1006: the peer never answered", "7.1.5"),

            // The states that only wait for TCP to close.
            row(CLOSING_BY_PEER, CLOSE_SENT, CLOSING_BY_PEER, "ignore: Close was already sent", "5.5.1"),
            row(CLOSING_BY_PEER, TIMEOUT, CLOSED, "drop TCP: it did not close in time", "7.1.1"),
            row(CLOSING_BY_PEER, TRANSPORT_CLOSED, CLOSED, "deliver close with the peer's code", "7.1.4"),
            row(CLOSE_ACKNOWLEDGED, CLOSE_SENT, CLOSE_ACKNOWLEDGED, "ignore: Close was already sent", "5.5.1"),
            row(CLOSE_ACKNOWLEDGED, TIMEOUT, CLOSED, "drop TCP: it did not close in time", "7.1.1"),
            row(CLOSE_ACKNOWLEDGED, TRANSPORT_CLOSED, CLOSED, "deliver close with the peer's code", "7.1.4"),
            row(FAILING, CLOSE_SENT, FAILING, "ignore: the connection is already failing", "7.1.7"),
            row(FAILING, TIMEOUT, CLOSED, "drop TCP: it did not close in time", "7.1.1"),
            row(FAILING, TRANSPORT_CLOSED, CLOSED, "deliver close with the code we sent", "7.1.4"),
            row(REJECTING, CLOSE_SENT, REJECTING, "ignore: the connection never opened", "4.2.2"),
            row(REJECTING, TIMEOUT, CLOSED, "drop TCP: it did not close in time", "7.1.1"),
            row(REJECTING, TRANSPORT_CLOSED, CLOSED, "deliver nothing: the connection never opened", "7.1.4"),

            // CLOSED absorbs what may still arrive from the application or the I/O layer.
            row(CLOSED, CLOSE_SENT, CLOSED, "ignore: the connection is closed", "7.1.4"),
            row(CLOSED, TRANSPORT_CLOSED, CLOSED, "ignore: the connection is closed", "7.1.4"));

    private static final Map<ConnectionState, Map<Trigger, Transition>> INDEX = index(TABLE);

    private Transitions() {
    }

    /** Every row, in the order written above. */
    public static List<Transition> all() {
        return TABLE;
    }

    /** The row for this pair, or {@code null} when the pair cannot happen. */
    public static Transition find(ConnectionState from, Trigger trigger) {
        return INDEX.get(from).get(trigger);
    }

    /** The row for this pair; asking for a pair that cannot happen is a bug in the caller. */
    public static Transition next(ConnectionState from, Trigger trigger) {
        Transition row = find(from, trigger);
        if (row == null) {
            throw new IllegalStateException("no transition for " + trigger + " in state " + from);
        }
        return row;
    }

    private static Transition row(ConnectionState from, Trigger trigger, ConnectionState to, String action, String rfc) {
        return new Transition(from, trigger, to, action, "§" + rfc);
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
