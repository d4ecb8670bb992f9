package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One open WebSocket connection, as the application sees it.
 *
 * <p>Every method is safe from any thread. On the session's own reactor thread (inside a {@link WebSocketHandler}
 * call for it, or for another session of the same reactor) sends are encoded at once into the connection's output;
 * from any other thread, another reactor's included, they are handed to its reactor through its task queue, and
 * the messages one thread sends arrive in the order it sent them.
 *
 * <p>The send methods return {@code false} when the session is already closing or closed, or (from another
 * thread) when its queued bytes are over the server's hard limit: the message was not accepted. {@code true} means it is queued; a peer that disappears before reading it is reported by
 * {@link WebSocketHandler#onClose} with 1006.
 */
public interface Session {

    /** {@return a number unique among this server's sessions, for logs} */
    long id();

    /**
     * Sends a text message.
     *
     * @param text the message
     * @return whether it was accepted (see above)
     */
    boolean sendText(CharSequence text);

    /**
     * Sends a binary message made of the buffer's remaining bytes (consumed; copied if sent from another thread).
     *
     * @param data the message
     * @return whether it was accepted (see above)
     */
    boolean sendBinary(ByteBuffer data);

    /**
     * Sends a binary message. The array is copied if sent from another thread.
     *
     * @param data the message
     * @return whether it was accepted (see above)
     */
    boolean sendBinary(byte[] data);

    /**
     * Sends a Ping.
     *
     * @param payload up to 125 bytes of application data: the buffer's remaining bytes
     * @return whether it was accepted (see above)
     */
    boolean ping(ByteBuffer payload);

    /** Starts the closing handshake with 1000 Normal Closure. */
    default void close() {
        close(CloseCode.NORMAL_CLOSURE, "");
    }

    /**
     * Starts the closing handshake.
     *
     * @param code a code that may be sent (not 1005, 1006 or 1015)
     * @param reason at most 123 bytes of UTF-8
     */
    void close(CloseCode code, String reason);

    /**
     * Runs a task on this session's reactor thread, the one its handler calls run on, after everything the calling
     * thread queued to that reactor before (so after its earlier sends to this session). Always queued, even when
     * called on that thread: it runs after the current handler call returns.
     *
     * @param task the task
     * @return false once the reactor has stopped (the task will not run)
     */
    boolean execute(Runnable task);

    /** {@return whether messages may still be sent (the session is open and no Close has been sent or received)} */
    boolean isOpen();

    /** {@return the peer's address} */
    InetSocketAddress remoteAddress();

    /** {@return the client's opening handshake request: path, query, headers (Origin, cookies, ...)} */
    HttpRequest request();

    /** {@return the subprotocol agreed in the handshake, or {@code null}} */
    String subprotocol();

    /**
     * {@return the bytes accepted for sending and not yet written to the socket, including sends still on their way to
     * the reactor thread} Use it for application-level flow control: stop producing while it is high.
     */
    long queuedBytes();

    /**
     * {@return the TLS session of a {@code wss://} connection (protocol, cipher suite, the client's certificates when
     * client authentication is on), or {@code null} for plain {@code ws://}}
     */
    default javax.net.ssl.SSLSession tlsSession() {
        return null;
    }

    /**
     * {@return an attribute the application attached to this session, or {@code null}}
     *
     * @param name the attribute's name
     */
    Object attribute(String name);

    /**
     * Attaches an attribute to this session.
     *
     * @param name the attribute's name
     * @param value its value; {@code null} removes it
     */
    void attribute(String name, Object value);
}
