package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * One client's sockets on one loop: its connectors still waiting for TCP and its connections still holding a
 * socket, so that closing the client closes these and nothing else of the loop (a server's reactor serves its own
 * sessions too). Everything here runs on the loop's thread but {@link #connect} and {@link #awaitDrained}, which
 * other threads call, and {@link #drained}, which any thread may wait on.
 */
final class ClientSet {

    private static final SecureRandom KEYS = new SecureRandom();

    final EventLoop loop;
    private final Set<Object> open = new HashSet<>();
    /**
     * The TLS side per context this client's connections on this loop use (usually one): they share its buffers
     * whichever server each talks to, so talking to many servers in turn keeps one set, not one per server.
     */
    private final Map<SSLContext, TlsSupport> tlsByContext = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean closing;

    ClientSet(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Opens a connection on this loop, from any thread: the handshake, the settings and the connector are made
     * here, the connector starts on the loop. DNS is resolved in the calling thread (by the proxy, with one).
     */
    CompletableFuture<Session> connect(long id, ClientOptions options, ClientTarget target,
            Map<String, String> headers, WebSocketHandler handler) throws IOException {
        CompletableFuture<Session> opened = new CompletableFuture<>();
        HttpHeaders extra = new HttpHeaders();
        options.headers.fields().forEach(field -> extra.add(field.name(), field.value()));
        headers.forEach(extra::add);
        ClientHandshake handshake = new ClientHandshake(target.hostHeader(), target.path(), options.subprotocols,
                options.offers(), extra, KEYS);
        ClientSessionHandler opening = new ClientSessionHandler(this, handler, handshake, opened,
                options.handshakeTimeout.toNanos());
        ServerSettings settings = options.settings(opening);
        TlsSupport tls = target.secure() ? tlsByContext.computeIfAbsent(options.tlsContext(), TlsSupport::new) : null;
        LoopContext context = new LoopContext(loop, settings, loop.pool, null, tls, loop.readBuffer, target);
        ProxyTunnel tunnel = options.proxy == null ? null
                : new ProxyTunnel(options.proxy, target.host(), target.port(), options.proxyAuthorization);
        InetSocketAddress address = tunnel == null ? target.resolve() : null;
        Connector connector = new Connector(id, this, address, tunnel, handshake, context,
                options.connectTimeout.toNanos(), opened);
        if (!loop.execute(connector::start)) {
            opened.completeExceptionally(new IllegalStateException("the client is closed"));
        }
        return opened;
    }

    /** {@return how many sets of TLS buffers this client keeps on this loop: one per context its connections use} */
    int tlsBufferSets() {
        return tlsByContext.size();
    }

    /** Whether the client was closed: connecting is refused from then on. */
    boolean isClosing() {
        return closing;
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    /** Completes once the client is closing and none of its sockets is left on this loop. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /**
     * From another thread, after {@link #closeAll}: waits until the connections are gone; at the deadline the
     * ones left are dropped, and it waits a second more for that.
     */
    void awaitDrained(long deadlineNanos) {
        try {
            drained.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            loop.execute(this::releaseAll);
            drained.completeOnTimeout(null, 1, TimeUnit.SECONDS).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException impossible) {
            // drained never fails
        }
    }

    /** A connector is waiting for TCP. */
    void connecting(Connector connector) {
        open.add(connector);
    }

    /** A connector is done (connected or failed). */
    void connectorDone(Connector connector) {
        loop.cancel(connector);
        open.remove(connector);
        checkDrained();
    }

    /** TCP is up: the connection is the driver's from now on. */
    void adopt(SocketDriver connection) {
        open.add(connection);
        loop.markDirty(connection); // writes the handshake request and arms the handshake timer
    }

    /** The connection's socket is closed. */
    void released(SocketDriver connection) {
        open.remove(connection);
        checkDrained();
    }

    /** Closes every connection with 1001 and fails every connector; {@link #drained} completes once all are gone. */
    void closeAll() {
        endAll(connection -> {
            connection.protocol.close(CloseCode.GOING_AWAY, "client closing", loop.now());
            loop.markDirty(connection);
        });
    }

    /** Drops every socket at once: the close took too long, or the loop is ending. */
    void releaseAll() {
        endAll(SocketDriver::releaseQuietly);
    }

    /** Closing from now on: each connection is ended as {@code end} says, each connector fails. */
    private void endAll(Consumer<SocketDriver> end) {
        closing = true;
        for (Object each : new ArrayList<>(open)) { // a copy: ending one removes it from the set
            if (each instanceof SocketDriver connection) {
                end.accept(connection);
            } else {
                ((Connector) each).fail(new IOException("the client was closed while connecting"));
            }
        }
        checkDrained();
    }

    private void checkDrained() {
        if (closing && open.isEmpty()) {
            drained.complete(null); // already done if awaitDrained stopped waiting: the loop must still forget us
            loop.leave(this);
        }
    }
}
