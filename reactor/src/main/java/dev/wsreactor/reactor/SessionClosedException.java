package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.io.IOException;

/**
 * Why a message a {@link Session} was asked to report on was never written: the session closed first (or was
 * already closing). The future of {@code sendTextAsync}/{@code sendBinaryAsync} fails with it.
 */
public final class SessionClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient CloseCode closeCode;

    /**
     * A session closed before the message was written.
     *
     * @param closeCode the code the session closed with ({@link WebSocketHandler#onClose}'s), or the one known so
     *     far while it is still closing (1006 until a Close has been received or failed the connection)
     */
    public SessionClosedException(CloseCode closeCode) {
        super("the session closed (" + closeCode + ") before the message was written");
        this.closeCode = closeCode;
    }

    /**
     * The session's close code.
     *
     * @return the code it closed with, as {@link WebSocketHandler#onClose} reports it
     */
    public CloseCode closeCode() {
        return closeCode;
    }
}
