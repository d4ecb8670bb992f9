package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One accepted socket: the glue between its {@link SocketChannel}, its sans-I/O {@link Connection} and the
 * application's {@link WebSocketHandler}. It is the protocol's listener (events in) and the application's
 * {@link Session} (commands out).
 *
 * <p>Fields without {@code volatile} belong to the reactor thread. The session methods check which thread calls:
 * on the reactor thread they act at once, from elsewhere they become tasks on the reactor's queue.
 */
final class ReactorConnection extends TimerQueue.Entry implements ConnectionListener, Session {

    private static final AtomicLongFieldUpdater<ReactorConnection> IN_FLIGHT =
            AtomicLongFieldUpdater.newUpdater(ReactorConnection.class, "inFlightBytes");

    final long id;
    final Reactor reactor;
    final SocketChannel channel;
    final Connection protocol;
    private final InetSocketAddress remoteAddress;
    private final WebSocketHandler handler;
    SelectionKey key;
    Transport transport; // plain TCP or TLS, set before the first read

    // The reactor's bookkeeping for this socket.
    int slot = -1; // index in the reactor's connection list
    boolean released; // socket closed and everything given back
    boolean readPaused; // backpressure: output above the high-water mark
    boolean writeInterest; // OP_WRITE is set: the last write was short
    boolean readBlocked; // the transport cannot take input now (a TLS handshake task runs elsewhere)
    boolean outputShutdown; // our FIN is sent; we wait for the peer's
    boolean dirty; // has output or state to settle at the end of this loop iteration
    private boolean opened;
    private boolean handlerFailed;

    // Read from other threads.
    private volatile boolean open;
    private volatile long writtenBacklog; // the protocol's queued output, published after each settle
    private volatile long inFlightBytes; // sends from other threads not yet handed to the protocol
    private volatile Map<String, Object> attributes;

    ReactorConnection(long id, Reactor reactor, SocketChannel channel, InetSocketAddress remoteAddress,
            ConnectionConfig config, WebSocketHandler handler, long nowNanos) {
        this.id = id;
        this.reactor = reactor;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.handler = handler;
        this.protocol = Connection.server(config, reactor.pool(), this, reactor.sharedDeflater(), nowNanos);
    }

    /** Runs when this connection's deadline has come (see {@link TimerQueue}). */
    void onDeadline(long nowNanos) {
        protocol.onTimer(nowNanos);
    }

    /** Makes what other threads may ask (queued bytes, open or not) visible to them; only writes on change. */
    void publish() {
        long backlog = transport.pendingBytes(); // with TLS, encrypted bytes not yet written count too
        if (writtenBacklog != backlog) {
            writtenBacklog = backlog;
        }
        boolean acceptsSends = protocol.state().acceptsMessagesToSend();
        if (open != acceptsSends) {
            open = acceptsSends;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events from the protocol, passed on to the handler with its exceptions contained

    @Override
    public void onOpen() {
        opened = true;
        open = true;
        reactor.counters.sessionsOpened++;
        try {
            handler.onOpen(this);
        } catch (Throwable error) {
            handlerFailed(error);
        }
    }

    @Override
    public void onText(String text) {
        reactor.counters.messagesReceived++;
        if (handlerFailed) {
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
        reactor.counters.messagesReceived++;
        if (handlerFailed) {
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
        if (handlerFailed) {
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
        if (handlerFailed) {
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
        open = false;
        reactor.counters.sessionClosed(code.value());
        if (!opened) {
            return;
        }
        try {
            handler.onClose(this, code, reason);
        } catch (Throwable error) {
            Reactor.LOG.log(Level.WARNING, "session " + id + ": onClose threw", error);
        }
    }

    @Override
    public HttpResponse onHttpRequest(HttpRequest request) {
        try {
            return reactor.settings().httpHandler().handle(request);
        } catch (Throwable error) {
            Reactor.LOG.log(Level.WARNING, "connection " + id + ": the HTTP handler threw", error);
            return HttpResponse.text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /** A handler threw: log it, tell the application, and close this session alone with 1011. */
    private void handlerFailed(Throwable error) {
        handlerFailed = true;
        reactor.counters.handlerErrors++;
        Reactor.LOG.log(Level.WARNING, "session " + id + ": the handler threw; closing with 1011", error);
        try {
            handler.onError(this, error);
        } catch (Throwable another) {
            Reactor.LOG.log(Level.WARNING, "session " + id + ": onError threw as well", another);
        }
        protocol.close(CloseCode.INTERNAL_ERROR, "internal error", reactor.now());
        reactor.markDirty(this);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The Session: commands from the application, from any thread

    @Override
    public long id() {
        return id;
    }

    @Override
    public boolean sendText(CharSequence text) {
        if (reactor.inLoop()) {
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
        return reactor.execute(() -> {
            sent(protocol.sendText(snapshot));
            handedOver(bytes);
        });
    }

    @Override
    public boolean sendBinary(ByteBuffer data) {
        if (reactor.inLoop()) {
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
        if (reactor.inLoop()) {
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
        return open && writtenBacklog + inFlight <= reactor.settings().maxQueuedBytes();
    }

    private boolean sendCopied(ByteBuffer copy) {
        long bytes = copy.remaining();
        IN_FLIGHT.addAndGet(this, bytes);
        return reactor.execute(() -> {
            sent(protocol.sendBinary(copy));
            handedOver(bytes);
        });
    }

    @Override
    public boolean ping(ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a Ping payload is at most 125 bytes, got " + payload.remaining());
        }
        if (reactor.inLoop()) {
            boolean sent = protocol.sendPing(payload);
            reactor.markDirty(this);
            return sent;
        }
        if (!open) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        return reactor.execute(() -> {
            protocol.sendPing(copy);
            reactor.markDirty(this);
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
        if (reactor.inLoop()) {
            protocol.close(code, reason, reactor.now());
            reactor.markDirty(this);
            return;
        }
        reactor.execute(() -> {
            protocol.close(code, reason, reactor.now());
            reactor.markDirty(this);
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
            reactor.counters.messagesSent++;
            reactor.markDirty(this);
        }
    }

    @Override
    public boolean isOpen() {
        return reactor.inLoop() ? protocol.state().acceptsMessagesToSend() : open;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
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
        if (reactor.inLoop()) {
            return transport.pendingBytes() + inFlightBytes;
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
    public void attribute(String name, Object value) {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) { // once per session at most: attributes are created on first use
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    attributes = map;
                }
            }
        }
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
    }

    @Override
    public javax.net.ssl.SSLSession tlsSession() {
        Transport t = transport;
        return t == null ? null : t.tlsSession();
    }

    @Override
    public String toString() {
        return "Session#" + id + "(" + remoteAddress + ", " + protocol.state() + ")";
    }
}
