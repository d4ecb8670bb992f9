package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The application's side of one connection: the protocol's listener (events in, passed on to the
 * {@link WebSocketHandler} with its exceptions contained) and the application's {@link Session} (commands out).
 * Its socket is driven by its {@link SocketDriver}; it sees the loop only through {@link Loop}.
 *
 * <p>Fields without {@code volatile} belong to the loop's thread. The session methods check which thread calls:
 * on the loop's thread they act at once, from elsewhere they become tasks on the loop's queue.
 */
final class ReactorConnection extends SessionAttributes implements ConnectionListener, Session {

    /** How far the handler has been told about this session. */
    private enum Delivery {
        /** Still handshaking: there is nothing to tell yet. */
        NOT_OPENED,
        /** onOpen was called: messages and pings go to the handler. */
        DELIVERING,
        /** The handler threw: it hears nothing more but onClose. */
        HANDLER_FAILED
    }

    /** §5.3: a client's masking keys must be unpredictable. */
    private static final SecureRandom MASK_KEYS = new SecureRandom();

    final Connection protocol;
    /** Who the client is past the trusted proxies; the transport and the handshake fill it in. */
    final ClientOrigin origin;
    private final SocketDriver driver;
    private final Loop loop;
    private final InetSocketAddress remoteAddress;
    final Sender sender;
    /** Who hears this session's events: the application's handler (its route's), or its calls offloaded. */
    private WebSocketHandler handler;
    /** The same, if the application's handler takes messages in parts, else null. */
    private StreamingHandler streaming;
    /** The offloaded calls, with their backlog, when the server has a {@code handlerExecutor}; else null. */
    private OffloadedHandler offloaded;
    private Delivery delivery = Delivery.NOT_OPENED;
    volatile Map<String, String> pathParameters = Map.of();

    ReactorConnection(SocketDriver driver, InetSocketAddress remoteAddress, ConnectionConfig config,
            LoopContext context, ClientHandshake client) {
        this.driver = driver;
        this.loop = context.loop();
        this.remoteAddress = remoteAddress;
        this.origin = new ClientOrigin(remoteAddress, context.tls() != null);
        this.protocol = client == null
                ? Connection.server(config, context.pool(), this, context.sharedDeflater(), loop.now())
                : Connection.client(config, client, MASK_KEYS::nextInt, context.pool(), this, loop.now());
        this.sender = new Sender(this, driver, protocol, loop);
        if (driver.settings.handler != null) {
            useHandler(driver.settings.handler);
        }
    }

    /**
     * The handler this session's events go to: the server's, or (set by {@link HandshakeGate} before the 101) its
     * route's; wrapped to run on the {@code handlerExecutor} when there is one.
     */
    void useHandler(WebSocketHandler chosen) {
        WebSocketHandler application = chosen instanceof ClientSessionHandler opening ? opening.application() : chosen;
        Executor executor = driver.settings.handlerExecutor;
        this.offloaded = executor == null ? null : new OffloadedHandler(chosen, this, loop, executor, driver.settings);
        this.handler = offloaded == null ? chosen : offloaded;
        boolean inParts = application instanceof StreamingHandler;
        this.streaming = !inParts ? null : offloaded == null ? (StreamingHandler) application : offloaded;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events from the protocol, passed on to the handler with its exceptions contained

    @Override
    public void onOpen() {
        delivery = Delivery.DELIVERING;
        sender.opened();
        loop.counters().increment(Counter.SESSIONS_OPEN);
        origin.forwarded(protocol.request(), driver.settings.proxies, driver.id);
        try {
            handler.onOpen(this);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onText(String text) {
        loop.counters().increment(Counter.MESSAGES_RECEIVED);
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onText(this, text);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        loop.counters().increment(Counter.MESSAGES_RECEIVED);
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onBinary(this, data);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public boolean receivesParts() {
        return streaming != null;
    }

    @Override
    public void onTextPart(CharSequence part, boolean last) {
        deliverPart(part, last);
    }

    @Override
    public void onBinaryPart(ByteBuffer part, boolean last) {
        deliverPart(part, last);
    }

    /** A part of a message, text (a CharSequence) or binary (a ByteBuffer), for the streaming handler. */
    private void deliverPart(Object part, boolean last) {
        if (last) {
            loop.counters().increment(Counter.MESSAGES_RECEIVED);
        }
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            if (part instanceof ByteBuffer bytes) {
                streaming.onBinaryPart(this, bytes, last);
            } else {
                streaming.onTextPart(this, (CharSequence) part, last);
            }
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onPing(this, payload);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onPong(this, payload);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onClose(CloseCode code, String reason) {
        loop.counters().sessionClosed(code.value());
        sender.closed(code); // every future still waiting fails, before the handler hears of the close
        if (delivery == Delivery.NOT_OPENED) {
            return;
        }
        try {
            handler.onClose(this, code, reason);
        } catch (Throwable error) {
            ReactorLog.warning("session " + driver.id + ": onClose threw", error);
        }
    }

    @Override
    public HttpResponse onHttpRequest(HttpRequest request) {
        try {
            return driver.settings.httpHandler.handle(request);
        } catch (Throwable error) {
            ReactorLog.warning("connection " + driver.id + ": the HTTP handler threw", error);
            return HttpResponse.text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /** A valid request: its route and decision, now or (when it takes its time) later, see {@link HandshakeGate}. */
    @Override
    public HandshakeDecision onHandshakeRequest(HttpRequest request) {
        return driver.settings.gate.decide(request, driver);
    }

    /** The session's queue went over the high-water mark and is down to the low-water mark: the handler hears it. */
    void drained() {
        if (delivery != Delivery.DELIVERING) {
            return;
        }
        try {
            handler.onWritable(this);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    /** Whether reading waits for the handler: its offloaded calls are over the high-water mark. */
    boolean waitsForHandler() {
        return offloaded != null && offloaded.isBacklogged();
    }

    /** The offloaded calls have drained: the connection is read again at the end of this iteration. */
    void readAgain() {
        loop.markDirty(driver);
    }

    /** A handler threw: log it, tell the application, and close this session alone with 1011. */
    void handlerFailed(Throwable error) {
        delivery = Delivery.HANDLER_FAILED;
        loop.counters().increment(Counter.HANDLER_ERRORS);
        ReactorLog.warning("session " + driver.id + ": the handler threw; closing with 1011", error);
        try {
            handler.onError(this, error);
        } catch (Throwable another) {
            ReactorLog.warning("session " + driver.id + ": onError threw as well", another);
        }
        protocol.close(CloseCode.INTERNAL_ERROR, "internal error", loop.now());
        loop.markDirty(driver);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The Session: commands from the application, from any thread

    @Override
    public long id() {
        return driver.id;
    }

    @Override
    public SendResult sendText(CharSequence text) {
        return sender.send(text, false, null);
    }

    @Override
    public SendResult sendBinary(ByteBuffer data) {
        return sender.send(data, false, null);
    }

    @Override
    public SendResult sendBinary(byte[] data) {
        boolean inLoop = loop.inLoop();
        return sender.send(ByteBuffer.wrap(inLoop ? data : data.clone()), !inLoop, null);
    }

    @Override
    public ByteBuffer keep(ByteBuffer data) {
        return protocol.keep(onLoop(data, "keep"));
    }

    @Override
    public SendResult sendKept(ByteBuffer kept) {
        return sender.sendKept(onLoop(kept, "sendKept"));
    }

    @Override
    public void release(ByteBuffer kept) {
        protocol.output().pool().release(onLoop(kept, "release"));
    }

    /** The buffer, once sure the caller is on the loop's thread: these use the loop's buffer pool. */
    private ByteBuffer onLoop(ByteBuffer buffer, String method) {
        if (!loop.inLoop()) {
            throw new IllegalStateException(method + " runs on the session's reactor thread only");
        }
        return buffer;
    }

    @Override
    public CompletableFuture<Void> sendTextAsync(CharSequence text) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        sender.send(text, false, written);
        return written;
    }

    @Override
    public CompletableFuture<Void> sendBinaryAsync(ByteBuffer data) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        sender.send(data, false, written);
        return written;
    }

    @Override
    public MessageWriter openBinaryStream() {
        return sender.openStream(false);
    }

    @Override
    public MessageWriter openTextStream() {
        return sender.openStream(true);
    }

    @Override
    public SendResult ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a Ping payload is at most 125 bytes, got " + payload.remaining());
        }
        return sender.ping(payload);
    }

    @Override
    public void close(CloseCode code, String reason) {
        code.checkSendable(reason); // here, so that a bad argument throws in the caller's thread
        if (loop.inLoop()) {
            closeOnLoop(code, reason);
        } else {
            loop.execute(() -> closeOnLoop(code, reason));
        }
    }

    private void closeOnLoop(CloseCode code, String reason) {
        protocol.close(code, reason, loop.now());
        loop.markDirty(driver);
    }

    @Override
    public boolean execute(Runnable task) {
        return loop.execute(task);
    }

    @Override
    public boolean isOpen() {
        return sender.state().acceptsMessagesToSend();
    }

    @Override
    public boolean isWritable() {
        return sender.isWritable();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public InetSocketAddress clientAddress() {
        return origin.address();
    }

    @Override
    public String clientScheme() {
        return origin.scheme();
    }

    @Override
    public HttpRequest request() {
        return protocol.request();
    }

    @Override
    public String subprotocol() {
        return protocol.subprotocol();
    }

    @Override
    public long queuedBytes() {
        return sender.queuedBytes();
    }

    @Override
    public Object attribute(String name) {
        return attributeValue(name);
    }

    @Override
    public Map<String, Object> attributes() {
        return attributeMap();
    }

    @Override
    public void attribute(String name, Object value) {
        attributeValue(name, value);
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public javax.net.ssl.SSLSession tlsSession() {
        return driver.transport.tlsSession();
    }

    @Override
    public String toString() {
        return "Session#" + driver.id + "(" + remoteAddress + ", " + protocol.state() + ")";
    }
}
