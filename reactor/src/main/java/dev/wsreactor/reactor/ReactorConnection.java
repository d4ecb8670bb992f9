package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The application's side of one connection: the protocol's listener (events in, passed on to the
 * {@link WebSocketHandler} with its exceptions contained) and the application's {@link Session} (commands out).
 * Its socket is driven by its {@link SocketDriver}; it sees the loop only through {@link Loop}.
 *
 * <p>Fields without {@code volatile} belong to the loop's thread. The session methods check which thread calls:
 * on the loop's thread they act at once, from elsewhere they become tasks on the loop's queue.
 */
final class ReactorConnection implements ConnectionListener, Session {

    /** How far the handler has been told about this session. */
    private enum Delivery {
        /** Still handshaking: there is nothing to tell yet. */
        NOT_OPENED,
        /** onOpen was called: messages and pings go to the handler. */
        DELIVERING,
        /** The handler threw: it hears nothing more but onClose. */
        HANDLER_FAILED
    }

    private static final AtomicLongFieldUpdater<ReactorConnection> IN_FLIGHT =
            AtomicLongFieldUpdater.newUpdater(ReactorConnection.class, "inFlightBytes");

    /** §5.3: a client's masking keys must be unpredictable. */
    private static final SecureRandom MASK_KEYS = new SecureRandom();

    final Connection protocol;
    /** Who the client is past the trusted proxies; the transport and the handshake fill it in. */
    final ClientOrigin origin;
    private final SocketDriver driver;
    private final Loop loop;
    private final InetSocketAddress remoteAddress;
    private Delivery delivery = Delivery.NOT_OPENED;
    WebSocketHandler handler; // a server's is its route's, set with the path's parameters by HandshakeGate

    // Read from other threads.
    private volatile ConnectionState publishedState = ConnectionState.HANDSHAKING; // as of the last settle
    private volatile long writtenBacklog; // the protocol's queued output, published after each settle
    private volatile long inFlightBytes; // sends from other threads not yet handed to the protocol
    private volatile Map<String, Object> attributes;
    volatile Map<String, String> pathParameters = Map.of();

    ReactorConnection(SocketDriver driver, InetSocketAddress remoteAddress, ConnectionConfig config,
            LoopContext context, ClientHandshake client) {
        this.driver = driver;
        this.loop = context.loop();
        this.remoteAddress = remoteAddress;
        this.origin = new ClientOrigin(remoteAddress, context.tls() != null);
        this.handler = driver.settings.handler;
        this.protocol = client == null
                ? Connection.server(config, context.pool(), this, context.sharedDeflater(), loop.now())
                : Connection.client(config, client, MASK_KEYS::nextInt, context.pool(), this, loop.now());
    }

    /** Makes what other threads may ask (queued bytes, open or not) visible to them; only writes on change. */
    void publish() {
        long backlog = driver.transport.pendingBytes(); // with TLS, encrypted bytes not yet written count too
        if (writtenBacklog != backlog) {
            writtenBacklog = backlog;
        }
        ConnectionState state = protocol.state();
        if (publishedState != state) {
            publishedState = state;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events from the protocol, passed on to the handler with its exceptions contained

    @Override
    public void onOpen() {
        delivery = Delivery.DELIVERING;
        publishedState = ConnectionState.OPEN;
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
        publishedState = ConnectionState.CLOSED;
        loop.counters().sessionClosed(code.value());
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

    /** A handler threw: log it, tell the application, and close this session alone with 1011. */
    private void handlerFailed(Throwable error) {
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
    public boolean sendText(CharSequence text) {
        if (loop.inLoop()) {
            boolean sent = protocol.sendText(text);
            sent(sent);
            return sent;
        }
        if (!acceptsCrossThreadSend()) {
            return false;
        }
        String snapshot = text.toString(); // the caller may change a StringBuilder after we return
        long bytes = snapshot.length(); // an estimate: flow control needs the order of magnitude only
        IN_FLIGHT.addAndGet(this, bytes);
        return loop.execute(() -> {
            sent(protocol.sendText(snapshot));
            handedOver(bytes);
        });
    }

    @Override
    public boolean sendBinary(ByteBuffer data) {
        if (loop.inLoop()) {
            boolean sent = protocol.sendBinary(data);
            sent(sent);
            return sent;
        }
        if (!acceptsCrossThreadSend()) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        return sendCopied(copy);
    }

    @Override
    public boolean sendBinary(byte[] data) {
        if (loop.inLoop()) {
            return sendBinary(ByteBuffer.wrap(data));
        }
        if (!acceptsCrossThreadSend()) {
            return false;
        }
        return sendCopied(ByteBuffer.wrap(data.clone()));
    }

    /**
     * A producer thread can outrun the reactor by far; past the hard limit its sends are refused (false) rather
     * than piling up in the task queue, which keeps memory bounded even when the application ignores flow control.
     */
    private boolean acceptsCrossThreadSend() {
        long inFlight = inFlightBytes; // read before the backlog: see handedOver()
        return publishedState.acceptsMessagesToSend() && writtenBacklog + inFlight <= driver.settings.maxQueuedBytes;
    }

    private boolean sendCopied(ByteBuffer copy) {
        long bytes = copy.remaining();
        IN_FLIGHT.addAndGet(this, bytes);
        return loop.execute(() -> {
            sent(protocol.sendBinary(copy));
            handedOver(bytes);
        });
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a Ping payload is at most 125 bytes, got " + payload.remaining());
        }
        if (loop.inLoop()) {
            boolean sent = protocol.sendPing(payload);
            loop.markDirty(driver);
            return sent;
        }
        if (!publishedState.acceptsMessagesToSend()) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        return loop.execute(() -> {
            protocol.sendPing(copy);
            loop.markDirty(driver);
        });
    }

    @Override
    public void close(CloseCode code, String reason) {
        // Checked here so a bad argument throws in the caller's thread, not later in the loop.
        if (!code.isAllowedOnWire()) {
            throw new IllegalArgumentException("close code " + code + " may not be sent in a Close frame");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason longer than 123 bytes of UTF-8");
        }
        if (loop.inLoop()) {
            protocol.close(code, reason, loop.now());
            loop.markDirty(driver);
            return;
        }
        loop.execute(() -> {
            protocol.close(code, reason, loop.now());
            loop.markDirty(driver);
        });
    }

    /**
     * A cross-thread send has reached the protocol's queue: publish the queue's size first, then take the bytes off
     * the in-flight count. Readers read the in-flight count first, so the sum they see may count a send twice while
     * it is handed over, but never misses it: a producer never sees room that is not there.
     */
    private void handedOver(long bytes) {
        publish();
        IN_FLIGHT.addAndGet(this, -bytes);
    }

    private void sent(boolean sent) {
        if (sent) {
            loop.counters().increment(Counter.MESSAGES_SENT);
            loop.markDirty(driver);
        }
    }

    @Override
    public boolean execute(Runnable task) {
        return loop.execute(task);
    }

    @Override
    public boolean isOpen() {
        return loop.inLoop() ? protocol.state().acceptsMessagesToSend() : publishedState.acceptsMessagesToSend();
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
        if (loop.inLoop()) {
            return driver.transport.pendingBytes() + inFlightBytes;
        }
        long inFlight = inFlightBytes; // read before the backlog: see handedOver()
        return writtenBacklog + inFlight;
    }

    @Override
    public Object attribute(String name) {
        Map<String, Object> map = attributes;
        return map == null ? null : map.get(name);
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) { // once per session at most: attributes are created on first use
                if (attributes == null) {
                    attributes = new ConcurrentHashMap<>(4);
                }
                map = attributes;
            }
        }
        return map;
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public void attribute(String name, Object value) {
        Map<String, Object> map = attributes();
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
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
