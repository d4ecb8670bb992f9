package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A server's event loop: an {@link EventLoop} (one thread, one {@link java.nio.channels.Selector}) and the sockets
 * it serves: every socket of the server, or with several reactors ({@link ReactorGroup}) its share of them, each
 * for its whole life, and the connections of any client built on the server ({@link WebSocketClient.Builder#on}).
 *
 * <p>What it adds to the loop: its {@link Acceptor} (the other ready keys), the connections it was handed and their
 * ids, the server-wide commands (broadcast, the sessions), the output budget after each iteration, and the
 * graceful shutdown (1001 to every session, then a grace period). What happens to one connection happens in its
 * driver; the loop only decides when.
 *
 * <p>Nothing here blocks and nothing here is locked: every field belongs to the loop's thread, except the task
 * queue ({@link TaskQueue}) and the count of sockets handed to it, which are how other threads reach it.
 */
final class Reactor extends EventLoop {

    /** Where the loop stands. */
    private enum LoopState {
        /** Accepting and serving. */
        RUNNING,
        /** No longer accepting; every session was sent 1001 and has until the grace period ends to close. */
        SHUTTING_DOWN,
        /** The loop ends after this iteration. */
        STOPPED
    }

    private final ServerSettings settings;
    private final LoopContext context;
    /** Its own listening socket's acceptor, or null when another reactor's acceptor hands it connections. */
    private final Acceptor acceptor;
    /** Where it stands among the server's reactors, and how many there are: its sessions' ids are its own. */
    private final int index;
    private final int reactorCount;
    private long connectionsSetUp;
    /** Sockets handed to it and not yet released: what the acceptor balances by, from any thread. */
    private final AtomicInteger held = new AtomicInteger();
    /** What TLS connections share, or null when the server speaks plain TCP. */
    private final TlsSupport tls;
    private final MessageDeflater sharedDeflater;
    private final OutputBudget budget;
    private final ConnectionSet connections = new ConnectionSet();
    private final TimerQueue.Entry shutdownDeadline = new TimerQueue.Entry() {
    };

    private LoopState state = LoopState.RUNNING;

    /**
     * A loop with its own selector, timers, buffers and compressor. With {@code listening} it accepts from that
     * socket and hands each connection to {@code handOff} (itself, or the least loaded reactor); without, it
     * serves only what another reactor's acceptor hands it through {@link #take}.
     */
    Reactor(ServerSettings settings, int index, int reactorCount, ServerSocketChannel listening,
            Consumer<SocketChannel> handOff) throws IOException {
        super(settings.outputBufferSize, 256);
        this.settings = settings;
        this.index = index;
        this.reactorCount = reactorCount;
        DeflateConfig deflate = settings.connection.deflate();
        this.sharedDeflater = deflate.enabled() && deflate.sharedCompressor() ? new MessageDeflater(deflate.level())
                : null;
        this.tls = settings.tls == null ? null : new TlsSupport(settings.tls);
        this.budget = new OutputBudget(settings.limits, counters());
        this.context = new LoopContext(this, settings, pool, sharedDeflater, tls, readBuffer, null);
        try {
            this.acceptor = listening == null ? null
                    : new Acceptor(context, listening, selector(), timers(), handOff);
        } catch (IOException | RuntimeException e) {
            selector().close();
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop as its connections see it

    @Override
    void releasedAccepted(SocketDriver connection) {
        connections.remove(connection);
        counters().decrement(Counter.CONNECTIONS_OPEN);
        held.decrementAndGet();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Connections handed to it

    /** Takes an accepted socket, from any thread: it is set up and served on this loop for its whole life. */
    void take(SocketChannel socket) {
        held.incrementAndGet(); // at once, so an acceptor's burst of hand-offs balances by what it handed over
        if (inLoop()) {
            setUp(socket);
        } else if (!execute(() -> setUp(socket))) {
            refuse(socket); // the loop has stopped
        }
    }

    /** Sockets handed to this loop and not yet released. */
    int held() {
        return held.get();
    }

    /** On the loop: the socket becomes a connection, open from now on, with its handshake timer running. */
    private void setUp(SocketChannel socket) {
        if (state != LoopState.RUNNING) {
            refuse(socket); // handed over while this loop was shutting down
            return;
        }
        SocketDriver connection;
        try {
            connection = newConnection(socket);
        } catch (Throwable e) { // the connection takes over the socket's place in the limits once registered
            ReactorLog.debug(() -> "could not set up an accepted connection: " + e);
            refuse(socket);
            return;
        }
        connections.add(connection);
        counters().increment(Counter.CONNECTIONS_ACCEPTED);
        counters().increment(Counter.CONNECTIONS_OPEN);
        schedule(connection, connection.protocol.nextDeadlineNanos());
    }

    private void refuse(SocketChannel socket) {
        held.decrementAndGet();
        settings.limits.giveBack();
        Acceptor.closeQuietly(socket);
    }

    private SocketDriver newConnection(SocketChannel socket) throws IOException {
        socket.configureBlocking(false);
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
        long id = index + 1 + (long) reactorCount * connectionsSetUp++; // unique server-wide, no shared counter
        ConnectionConfig config = settings.connection;
        if (settings.trace != null) {
            Consumer<String> sink = settings.trace;
            config = config.toBuilder().tracer(line -> sink.accept("#" + id + " " + line)).build();
        }
        SocketDriver connection = new SocketDriver(id, socket, remote, config, context);
        connection.register(selector());
        return connection;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads

    /** Begins a graceful shutdown, from any thread; {@link #awaitTermination} waits for its end. */
    void shutdown() {
        execute(this::beginShutdown);
    }

    /**
     * Stops accepting, sends 1001 to every session (and every connection of a client on the server) and lets them
     * close within the grace period.
     */
    private void beginShutdown() {
        if (state != LoopState.RUNNING) {
            return;
        }
        state = LoopState.SHUTTING_DOWN;
        if (acceptor != null) {
            acceptor.close();
        }
        timers().schedule(shutdownDeadline, now() + settings.shutdownGrace.toNanos());
        for (int i = 0; i < connections.size(); i++) {
            SocketDriver connection = connections.get(i);
            connection.protocol.close(CloseCode.GOING_AWAY, "server shutting down", now());
            markDirty(connection);
        }
        closeClients(); // the connections of clients built on the server close with it, as gracefully
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop's hooks

    @Override
    boolean isStopped() {
        return state == LoopState.STOPPED;
    }

    /** The end of the loop, however it ended: every connection closed. */
    @Override
    void beforeStop() {
        state = LoopState.STOPPED;
        releaseAll();
    }

    @Override
    void afterStop() {
        if (acceptor != null) {
            acceptor.close();
        }
        if (sharedDeflater != null) {
            sharedDeflater.close();
        }
    }

    @Override
    void afterIteration() {
        if (state == LoopState.SHUTTING_DOWN && connections.size() == 0 && !hasClientSockets()) {
            state = LoopState.STOPPED;
        }
        budget.afterIteration(connections, now());
    }

    @Override
    void onOtherDeadline(TimerQueue.Entry entry) {
        if (acceptor != null && entry == acceptor.backoff) {
            acceptor.onBackoffOver(); // never throws
        } else if (entry == shutdownDeadline) {
            releaseAll(); // the grace period is over: drop whoever is left
            state = LoopState.STOPPED;
        }
    }

    @Override
    void onOtherReady(SelectionKey key) {
        acceptor.onReady(); // never throws
    }

    private void releaseAll() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            connections.get(i).releaseQuietly();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Server-wide commands, run on the loop

    /** Queues one pre-encoded frame to every open session the filter accepts. */
    int broadcast(ByteBuffer frame, Predicate<Session> filter) {
        int sent = 0;
        for (int i = 0; i < connections.size(); i++) {
            SocketDriver connection = connections.get(i);
            if (connection.protocol.state() != ConnectionState.OPEN
                    || (filter != null && !filter.test(connection.session))) {
                continue;
            }
            if (connection.session.sender.sendShared(frame)) {
                sent++;
                markDirty(connection);
            }
        }
        counters().add(Counter.MESSAGES_SENT, sent);
        return sent;
    }

    /** Every open session. */
    List<Session> sessions() {
        return connections.openSessions();
    }

    /** Its counters, as of the end of its last loop iteration, from any thread. */
    ServerStats stats() {
        return counters().snapshot();
    }

    /** TLS ciphertext buffers connections hold now (none for an idle connection); 0 without TLS. */
    long tlsBuffersInUse() {
        return tls == null ? 0 : tls.netPool.inUse();
    }
}
