package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.nio.ByteBuffer;

/**
 * What the application does with its sessions. Every method runs on the session's reactor thread, one call at a
 * time, in the order things happened on the wire. With one reactor (the default) that is one thread for every
 * session, so a handler needs no locks for state only it touches; with {@code reactors(n)}, calls for different
 * sessions run on different threads at once, and state they share needs its own synchronisation. A handler must
 * not block: a slow handler stalls every connection of its reactor. Hand slow work to another thread and send the
 * result from there ({@link Session} methods are safe from any thread), or give the server a
 * {@code handlerExecutor}: then every call runs on that executor, per session still one at a time and in wire
 * order, with buffers of its own (copies it may keep), and may block.
 *
 * <p>A handler that throws does not stop the server: the exception goes to {@link #onError} and is logged, and
 * that session alone is closed with 1011 (Internal Error).
 */
public interface WebSocketHandler {

    /**
     * The opening handshake is done; the session may send from now on.
     *
     * @param session the session
     */
    default void onOpen(Session session) {
    }

    /**
     * A whole text message, already checked to be valid UTF-8.
     *
     * @param session the session
     * @param text the message
     */
    default void onText(Session session, String text) {
    }

    /**
     * A whole binary message, between the buffer's position and limit. The buffer belongs to the reactor and is
     * valid only during this call: copy what you keep. Sending it back from here is fine (it is copied out).
     *
     * @param session the session
     * @param data the message
     */
    default void onBinary(Session session, ByteBuffer data) {
    }

    /**
     * A Ping arrived; the Pong has already been queued.
     *
     * @param session the session
     * @param payload the Ping's application data, valid only during the call
     */
    default void onPing(Session session, ByteBuffer payload) {
    }

    /**
     * A Pong arrived, solicited or not.
     *
     * @param session the session
     * @param payload the Pong's application data, valid only during the call
     */
    default void onPong(Session session, ByteBuffer payload) {
    }

    /**
     * The session is closed; called exactly once for every session that was opened.
     *
     * @param session the session
     * @param code the peer's code, 1005 if its Close had none, 1006 if TCP closed without a Close frame, or the code
     *     the server sent when it failed the connection
     * @param reason the peer's reason, or ours when the server failed the connection; never null
     */
    default void onClose(Session session, CloseCode code, String reason) {
    }

    /**
     * The session's queued bytes went over the high-water mark ({@code writeQueueLimits}) and have drained to the
     * low-water mark: a producer that paused while {@link Session#isWritable()} was false may send again. Called
     * once per such crossing, on the session's reactor thread, only while the session is open.
     *
     * @param session the session that may be sent to again
     */
    default void onWritable(Session session) {
    }

    /**
     * A handler method threw; the session is being closed with 1011. The default does nothing (it is logged).
     *
     * @param session the session
     * @param error what the handler threw
     */
    default void onError(Session session, Throwable error) {
    }
}
