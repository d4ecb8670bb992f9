package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The application's side of one connection: its {@link Session} (commands out), and its {@link HandlerEvents}, the
 * protocol's listener (events in, passed on to the {@link WebSocketHandler} with its exceptions contained).
 * Its socket is driven by its {@link SocketDriver}; it sees the loop only through {@link Loop}.
 *
 * <p>Fields without {@code volatile} belong to the loop's thread. The session methods check which thread calls:
 * on the loop's thread they act at once, from elsewhere they become tasks on the loop's queue.
 */
final class ReactorConnection extends SessionAttributes implements Session {

    /** §5.3: a client's masking keys must be unpredictable. */
    private static final SecureRandom MASK_KEYS = new SecureRandom();

    final Connection protocol;
    /** Who the client is past the trusted proxies; the transport and the handshake fill it in. */
    final ClientOrigin origin;
    private final SocketDriver driver;
    private final Loop loop;
    private final InetSocketAddress remoteAddress;
    final Sender sender;
    /** The protocol's listener: this session's events, passed on to the handler. */
    final HandlerEvents events;
    volatile Map<String, String> pathParameters = Map.of();

    ReactorConnection(SocketDriver driver, InetSocketAddress remoteAddress, ConnectionConfig config,
            LoopContext context, ClientHandshake client) {
        this.driver = driver;
        this.loop = context.loop();
        this.remoteAddress = remoteAddress;
        this.origin = new ClientOrigin(remoteAddress, context.tls() != null);
        this.events = new HandlerEvents(this, driver, loop);
        this.protocol = client == null
                ? Connection.server(config, context.pool(), events, context.sharedDeflater(), loop.now())
                : Connection.client(config, client, MASK_KEYS::nextInt, context.pool(), events, loop.now());
        this.sender = new Sender(this, driver, protocol, loop);
        if (driver.settings.handler != null) {
            events.useHandler(driver.settings.handler);
        }
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
