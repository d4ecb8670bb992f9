package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
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

    /**
     * A server's opening request is complete and valid WebSocket (the §4.2.1 checks and the handshake policy
     * passed): the application's last word. Return the decision now, or {@code null} to decide later with
     * {@link Connection#decide}: the connection then waits in AWAITING_DECISION, holding what arrives, within the
     * handshake timeout. The default accepts.
     *
     * @param request the client's request
     * @return the decision, or {@code null} when it comes later
     */
    default HandshakeDecision onHandshakeRequest(HttpRequest request) {
        return HandshakeDecision.accept();
    }

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
     * Whether the message that begins now is delivered in parts ({@link #onTextPart}, {@link #onBinaryPart}) as
     * its frames arrive, rather than whole; asked once per message, at its first frame. The default is false.
     *
     * @return true to receive this message in parts
     */
    default boolean receivesParts() {
        return false;
    }

    /**
     * The next part of a text message received in parts: whole characters (a part never ends inside a code
     * point; the bytes of one that is cut are held back for the next part), already checked as UTF-8 (§8.1) and,
     * for a compressed message, inflated. A part may be empty (the last one often is).
     *
     * @param part the characters that arrived
     * @param last whether the message ends with this part
     */
    default void onTextPart(CharSequence part, boolean last) {
    }

    /**
     * The next part of a binary message received in parts, as it arrived (inflated if compressed); valid only
     * during the call.
     *
     * @param part the bytes, between position and limit
     * @param last whether the message ends with this part
     */
    default void onBinaryPart(ByteBuffer part, boolean last) {
    }

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
