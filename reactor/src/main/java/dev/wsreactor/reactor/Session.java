package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket connection, as the application sees it.
 *
 * <p>Every method is safe from any thread. On the session's own reactor thread (inside a {@link WebSocketHandler}
 * call for it, or for another session of the same reactor) sends are encoded at once into the connection's output;
 * from any other thread, another reactor's included, they are handed to its reactor through its task queue, and
 * the messages one thread sends arrive in the order it sent them.
 *
 * <p>Every send returns a {@link SendResult}: {@link SendResult#ACCEPTED} (queued; a peer that disappears before
 * reading it is reported by {@link WebSocketHandler#onClose} with 1006), {@link SendResult#CLOSED} (the session is
 * closing or closed) or {@link SendResult#OVER_LIMIT} (from another thread, while its queued bytes are over the
 * server's hard limit). A producer that waits while {@link #isWritable()} is false, until
 * {@link WebSocketHandler#onWritable}, is never refused for the limit.
 *
 * <p>The {@code ...Async} sends also say when the message's bytes have been written to the socket (for TLS:
 * encrypted and handed to the socket): their future completes then, or fails with a
 * {@link SessionClosedException} carrying the close code if the session closes first, with the slow-consumer
 * 1008 or the server's 1001 at shutdown included. Every such future completes exactly once, on the session's
 * reactor thread (so dependent stages that are not {@code ...Async} run there and must not block), except one
 * refused at once from another thread, which is already failed when it is returned (with a
 * {@code RejectedExecutionException} for the limit). The plain sends keep no such record, and on the reactor
 * thread they allocate nothing.
 */
public interface Session {

    /**
     * A number unique among this server's sessions, for logs.
     *
     * @return the session's id
     */
    long id();

    /**
     * Sends a text message.
     *
     * @param text the message; its characters are read before this returns
     * @return whether it was accepted, and if not why
     */
    SendResult sendText(CharSequence text);

    /**
     * Sends a binary message made of the buffer's remaining bytes (consumed; copied if sent from another thread).
     *
     * @param data the message's bytes
     * @return whether it was accepted, and if not why
     */
    SendResult sendBinary(ByteBuffer data);

    /**
     * Sends a binary message. The array is copied if sent from another thread.
     *
     * @param data the message's bytes
     * @return whether it was accepted, and if not why
     */
    SendResult sendBinary(byte[] data);

    /**
     * Keeps a received message, or any bytes, in a buffer of the reactor's own pool, for {@link #sendKept}: the way
     * an echo or a relay sends a large message on without copying it. Called from {@link WebSocketHandler#onBinary}
     * with the buffer it was given, it hands over the message's own buffer when the message was put together from
     * several reads (no copy); otherwise it copies the bytes into a pooled buffer. The caller owns the buffer until
     * it passes it to {@code sendKept} of a session on the same reactor, or gives it back with {@link #release}.
     * On this session's reactor thread only (a handler on a {@code handlerExecutor} uses {@link #sendBinary}).
     *
     * @param data the bytes to keep (not consumed)
     * @return the buffer, positioned at the bytes
     * @throws IllegalStateException when called from another thread
     */
    ByteBuffer keep(ByteBuffer data);

    /**
     * Sends a binary message from a buffer {@link #keep} returned (by this session or another of the same reactor),
     * handing it over: it is written as it is, with no copy, and goes back to the pool once written (or at once when
     * the message is refused, compressed or split into fragments). The caller must keep no reference or view of it.
     * On this session's reactor thread only.
     *
     * @param kept the buffer; its remaining bytes are the message
     * @return whether it was accepted, and if not why
     * @throws IllegalStateException when called from another thread
     */
    SendResult sendKept(ByteBuffer kept);

    /**
     * Gives back a buffer {@link #keep} returned that will not be sent. On this session's reactor thread only.
     *
     * @param kept the buffer, of which the caller keeps no reference or view
     * @throws IllegalStateException when called from another thread
     */
    void release(ByteBuffer kept);

    /**
     * Sends a text message and reports when it has been written to the socket.
     *
     * @param text the message; its characters are read before this returns
     * @return a future completed once the message's last byte is written, or failed with a
     *     {@link SessionClosedException} if the session closes first
     */
    CompletableFuture<Void> sendTextAsync(CharSequence text);

    /**
     * Sends a binary message (the buffer's remaining bytes, consumed) and reports when it has been written.
     *
     * @param data the message's bytes
     * @return a future completed once the message's last byte is written, or failed with a
     *     {@link SessionClosedException} if the session closes first
     */
    CompletableFuture<Void> sendBinaryAsync(ByteBuffer data);

    /**
     * Sends a Ping with up to 125 bytes of payload. Never refused for the queue's limit.
     *
     * @param payload the Ping's application data
     * @return {@link SendResult#ACCEPTED}, or {@link SendResult#CLOSED}
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    SendResult ping(ByteBuffer payload);

    /**
     * Opens a binary message to be written piece by piece, as many frames, without holding it whole. Until its
     * {@link MessageWriter#finish()}, the session's other messages wait and go out after it (see
     * {@link MessageWriter}).
     *
     * @return the message's writer
     * @throws IllegalStateException if a message stream of this session is open already
     */
    MessageWriter openBinaryStream();

    /**
     * Opens a text message to be written piece by piece, as many frames, without holding it whole.
     *
     * @return the message's writer
     * @throws IllegalStateException if a message stream of this session is open already
     */
    MessageWriter openTextStream();

    /** Starts the closing handshake with 1000 Normal Closure. */
    default void close() {
        close(CloseCode.NORMAL_CLOSURE, "");
    }

    /**
     * Starts the closing handshake with this code and reason.
     *
     * @param code a code that may be sent in a Close frame (not 1005, 1006 or 1015)
     * @param reason at most 123 bytes of UTF-8
     * @throws IllegalArgumentException for a code that may not be sent, or a reason too long
     */
    void close(CloseCode code, String reason);

    /**
     * Runs a task on this session's reactor thread, the one its handler calls run on, after everything the calling
     * thread queued to that reactor before (so after its earlier sends to this session). Always queued, even when
     * called on that thread: it runs after the current handler call returns.
     *
     * @param task what to run
     * @return false once the reactor has stopped (the task will not run)
     */
    boolean execute(Runnable task);

    /**
     * Whether messages may still be sent.
     *
     * @return true while the session is open and no Close has been sent or received
     */
    boolean isOpen();

    /**
     * Whether a producer should send now: the session is open and its queued bytes have not gone over the
     * high-water mark, or have since drained to the low-water mark ({@code writeQueueLimits}). When it turns
     * false, {@link WebSocketHandler#onWritable} follows once the queue has drained.
     *
     * @return true while sending is welcome
     */
    boolean isWritable();

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

    /**
     * The client's opening handshake request: path, query, headers (Origin, cookies, ...).
     *
     * @return the request as it was read
     */
    HttpRequest request();

    /**
     * The subprotocol agreed in the handshake.
     *
     * @return its name, or {@code null} when none was agreed
     */
    String subprotocol();

    /**
     * Bytes accepted for sending and not yet written to the socket, including sends still on their way to the
     * reactor thread. Use it for application-level flow control: stop producing while it is high.
     *
     * @return the bytes queued, with TLS's encrypted bytes not yet written
     */
    long queuedBytes();

    /**
     * The TLS session of a {@code wss://} connection (protocol, cipher suite, the client's certificates when
     * client authentication is on).
     *
     * @return the TLS session, or {@code null} for plain {@code ws://}
     */
    default javax.net.ssl.SSLSession tlsSession() {
        return null;
    }

    /**
     * An attribute the application attached to this session.
     *
     * @param name the attribute's name
     * @return its value, or {@code null}
     */
    Object attribute(String name);

    /**
     * Attaches an attribute to this session.
     *
     * @param name the attribute's name
     * @param value its value; {@code null} removes it
     */
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
