package dev.wsreactor.protocol;

/**
 * The states of one WebSocket connection. The headline is the RFC's own four phases (HANDSHAKING, OPEN,
 * CLOSING, CLOSED); CLOSING is split into sub-states named after what has happened, so every difference in
 * behaviour is a different state rather than a hidden flag. The moves between them are in {@link Transitions}.
 *
 * <p>The predicates below are the only questions the rest of the code asks about a state.
 */
public enum ConnectionState {
    /** Reading and checking the opening handshake (§4.2.1 for a server, §4.1 for a client). */
    HANDSHAKING(Phase.HANDSHAKING, "waiting for the opening handshake"),
    /**
     * The request is valid and the application's decision is pending: nothing is read (bytes that arrive early are
     * kept for after the 101), the handshake timer still runs.
     */
    AWAITING_DECISION(Phase.HANDSHAKING, "the request is valid; waiting for the application's decision, holding"
            + " early bytes"),
    /** The handshake succeeded; messages flow both ways (§4.2.2: "the WebSocket connection is established"). */
    OPEN(Phase.OPEN, "messages flow both ways"),
    /** We sent a Close first (§7.1.2); the peer's frames are still delivered until its Close arrives. */
    CLOSING_BY_US(Phase.CLOSING, "we sent Close first; waiting for the peer's Close"),
    /** The peer sent a Close first and we answered it (§5.5.1); we wait for TCP to close. */
    CLOSING_BY_PEER(Phase.CLOSING, "the peer sent Close first and we answered; waiting for TCP to close"),
    /** We sent a Close first and the peer answered it; the closing handshake is complete; TCP closes next. */
    CLOSE_ACKNOWLEDGED(Phase.CLOSING, "the peer answered our Close; waiting for TCP to close"),
    /**
     * We failed the open connection (§7.1.7): our Close frame (if one could still be sent) is queued, nothing more
     * is read, and TCP closes once it is written.
     */
    FAILING(Phase.CLOSING, "we failed the connection; TCP closes once our last bytes are written"),
    /**
     * We refused the opening handshake, or answered a plain HTTP request (§4.2.1): the HTTP response is queued,
     * nothing more is read, and TCP closes once it is written. The connection never opened.
     */
    REJECTING(Phase.CLOSING, "we refused the handshake; TCP closes once our response is written"),
    /** The TCP connection is closed (§7.1.4: "the WebSocket connection is closed"). Nothing leaves this state. */
    CLOSED(Phase.CLOSED, "the TCP connection is closed");

    /** The four phases named by the RFC, for readers who want the headline only. */
    public enum Phase { HANDSHAKING, OPEN, CLOSING, CLOSED }

    private final Phase phase;
    private final String meaning;

    ConnectionState(Phase phase, String meaning) {
        this.phase = phase;
        this.meaning = meaning;
    }

    public Phase phase() {
        return phase;
    }

    /** One line in plain English, used by the generated README table. */
    public String meaning() {
        return meaning;
    }

    /**
     * Whether bytes from the peer are still parsed (after our Close the peer may still be sending, §7.1.2).
     * AWAITING_DECISION parses nothing but keeps what arrives: see {@link #holdsInput()}.
     */
    public boolean readsInput() {
        return this == HANDSHAKING || this == OPEN || this == CLOSING_BY_US;
    }

    /**
     * Whether bytes from the peer are kept, unread, for the state that follows: while the application decides on
     * the handshake, a client's early frames wait for the 101.
     *
     * @return true in AWAITING_DECISION only
     */
    public boolean holdsInput() {
        return this == AWAITING_DECISION;
    }

    /** Whether received data and control frames are still handed to the application. */
    public boolean deliversMessages() {
        return this == OPEN || this == CLOSING_BY_US;
    }

    /** Whether the application may send messages: only while OPEN (§5.5.1: no data after a Close). */
    public boolean acceptsMessagesToSend() {
        return this == OPEN;
    }

    /**
     * Whether the I/O layer should close TCP once everything queued has been written. The server closes TCP
     * first (§7.1.1); a client instead waits for the server to do it, up to a timeout.
     */
    public boolean closesTransportWhenFlushed() {
        return this == CLOSING_BY_PEER || this == CLOSE_ACKNOWLEDGED || this == FAILING || this == REJECTING
                || this == CLOSED;
    }

    /**
     * Whether this side closes TCP once everything queued has been written: the server after a closing handshake
     * (§7.1.1), either side after failing the connection or refusing its handshake (§7.1.7), and CLOSED at once.
     */
    public boolean closesTransportWhenFlushed(Role role) {
        if (this == CLOSING_BY_PEER || this == CLOSE_ACKNOWLEDGED) {
            return role == Role.SERVER;
        }
        return closesTransportWhenFlushed();
    }

    /**
     * Whether a connection leaving this state had been opened, so the application was told of the open and is
     * owed exactly one close.
     */
    public boolean hasOpened() {
        return phase != Phase.HANDSHAKING && this != REJECTING && this != CLOSED;
    }
}
