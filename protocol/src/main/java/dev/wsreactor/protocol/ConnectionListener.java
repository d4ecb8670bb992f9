package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import java.nio.ByteBuffer;

/**
 * What the application hears from one {@link Connection}. Every call happens on the thread that feeds the
 * connection, in wire order, from inside {@link Connection#receive} (or a timer or close call), so anything the
 * listener sends in reply is queued before the connection reads on: a message completed early in a read is
 * answered before a violation later in the same read fails the connection.
 *
 * <p>Buffers passed in are valid only during the call; copy what you keep.
 */
public interface ConnectionListener {

    /** The opening handshake succeeded; {@link Connection#request()} and the subprotocol are available. */
    default void onOpen() {
    }

    /**
     * A whole text message, already checked to be valid UTF-8 (§8.1).
     *
     * @param text the message
     */
    void onText(String text);

    /**
     * A whole binary message; its bytes are between the buffer's position and limit.
     *
     * @param data the message, valid only during the call
     */
    void onBinary(ByteBuffer data);

    /**
     * A Ping arrived; the connection has already queued the Pong (§5.5.2).
     *
     * @param payload the Ping's application data, valid only during the call
     */
    default void onPing(ByteBuffer payload) {
    }

    /**
     * A Pong arrived (§5.5.3), solicited or not.
     *
     * @param payload the Pong's application data, valid only during the call
     */
    default void onPong(ByteBuffer payload) {
    }

    /**
     * The connection is closed: called exactly once, and only if {@link #onOpen()} was called.
     *
     * @param code the peer's close code, 1005 if its Close had none, 1006 if no Close arrived, or the code we
     *     sent when we failed the connection
     * @param reason the peer's reason, or ours when we failed it; never null
     */
    void onClose(CloseCode code, String reason);

    /**
     * A well-formed HTTP request that does not ask for a WebSocket upgrade arrived. The connection is closed after the
     * response.
     *
     * @param request the request
     * @return the response to send, or {@code null} for the default 426 Upgrade Required
     */
    default HttpResponse onHttpRequest(HttpRequest request) {
        return null;
    }
}
