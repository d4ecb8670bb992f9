package dev.wsreactor.reactor;

import java.io.IOException;

/**
 * The server's answer to a {@link WebSocketClient}'s opening handshake broke a rule of RFC 6455 §4.1 (the message
 * names it), or the connection ended or timed out before the answer was complete.
 */
public final class HandshakeFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status the server answered with, or 0 when no status line was read. */
    private final int status;

    /**
     * A failed handshake.
     *
     * @param status the HTTP status the server answered with, or 0 when no status line was read
     * @param message the rule the answer broke, or what ended the connection
     */
    public HandshakeFailedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** {@return the HTTP status the server answered with, or 0 when no status line was read} */
    public int status() {
        return status;
    }
}
