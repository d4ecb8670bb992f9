package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

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

    /** A number unique among this server's sessions, for logs. */
    long id();

    /** Sends a text message. */
    boolean sendText(CharSequence text);

    /** Sends a binary message made of the buffer's remaining bytes (consumed; copied if sent from another thread). */
    boolean sendBinary(ByteBuffer data);

    /** Sends a binary message. The array is copied if sent from another thread. */
    boolean sendBinary(byte[] data);

    /** Sends a Ping with up to 125 bytes of payload. */
    boolean ping(ByteBuffer payload);

    /** Starts the closing handshake with 1000 Normal Closure. */
    default void close() {
        close(CloseCode.NORMAL_CLOSURE, "");
    }

    /** Starts the closing handshake with this code and a reason of at most 123 bytes of UTF-8. */
    void close(CloseCode code, String reason);

    /**
     * Runs a task on this session's reactor thread, the one its handler calls run on, after everything the calling
     * thread queued to that reactor before (so after its earlier sends to this session). Always queued, even when
     * called on that thread: it runs after the current handler call returns. False once the reactor has stopped.
     */
    boolean execute(Runnable task);

    /** Whether messages may still be sent (the session is open and no Close has been sent or received). */
    boolean isOpen();

    /**
     * The address of the socket's peer: the client's, or the proxy's when it came through one.
     *
     * @return the peer's address and port
     */
    InetSocketAddress remoteAddress();

    /**
     * The client's address past the proxies the server trusts ({@link WebSocketServer.Builder#trustedProxies}):
     * the source of a PROXY header, else what {@code Forwarded} or {@code X-Forwarded-For} from a trusted peer say,
     * else {@link #remoteAddress()}.
     *
     * @return the client's address and port (port 0 where a proxy did not say)
     */
    default InetSocketAddress clientAddress() {
        return remoteAddress();
    }

    /**
     * The scheme the client connected with: {@code "wss"} over TLS, {@code "ws"} otherwise, or what a trusted
     * proxy's {@code Forwarded: proto=} or {@code X-Forwarded-Proto} says.
     *
     * @return {@code "ws"} or {@code "wss"}
     */
    default String clientScheme() {
        return tlsSession() != null ? "wss" : "ws";
    }

    /** The client's opening handshake request: path, query, headers (Origin, cookies, ...). */
    HttpRequest request();

    /** The subprotocol agreed in the handshake, or {@code null}. */
    String subprotocol();

    /**
     * Bytes accepted for sending and not yet written to the socket, including sends still on their way to the
     * reactor thread. Use it for application-level flow control: stop producing while it is high.
     */
    long queuedBytes();

    /**
     * The TLS session of a {@code wss://} connection (protocol, cipher suite, the client's certificates when
     * client authentication is on), or {@code null} for plain {@code ws://}.
     */
    default javax.net.ssl.SSLSession tlsSession() {
        return null;
    }

    /** An attribute the application attached to this session, or {@code null}. */
    Object attribute(String name);

    /** Attaches an attribute; {@code null} removes it. */
    void attribute(String name, Object value);

    /**
     * The session's attributes, those its handshake's decision gave it (see {@link HandshakeAuthenticator}) from
     * {@code onOpen} on, and those attached since: the live map behind {@link #attribute(String)}, safe from any
     * thread; it holds no {@code null} keys or values.
     *
     * @return the attributes, by name
     */
    Map<String, Object> attributes();

    /**
     * A parameter of the route that took this session: {@code room} is {@code "blue"} for the pattern
     * {@code /chat/{room}} and the path {@code /chat/blue}.
     *
     * @param name the parameter's name in the pattern
     * @return its percent-decoded value, or {@code null} when the route has no such parameter
     */
    default String pathParameter(String name) {
        return pathParameters().get(name);
    }

    /**
     * Every parameter of the route that took this session, in the pattern's order.
     *
     * @return an unmodifiable map, empty for the catch-all handler and for a client's session
     */
    Map<String, String> pathParameters();
}
