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
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event loop: one thread, one {@link Selector}, and the sockets it serves: every socket of the server, or with
 * several reactors ({@link ReactorGroup}) its share of them, each for its whole life.
 *
 * <p>One iteration: wait for readiness or the next deadline, dispatch each ready key (the {@link Acceptor}, or a
 * connection's {@link SocketDriver}), run the tasks other threads queued, fire due deadlines, then settle every
 * connection that has something new. What happens to one connection happens in its driver; the loop only decides
 * when.
 *
 * <p>Nothing here blocks and nothing here is locked: every field belongs to the loop's thread, except the task
 * queue ({@link TaskQueue}) and the count of sockets handed to it, which are how other threads reach it.
 */
final class Reactor implements Runnable, Loop {

    /** Where the loop stands. */
    private enum LoopState {
        /** Accepting and serving. */
        RUNNING,
        /** No longer accepting; every session was sent 1001 and has until the grace period ends to close. */
        SHUTTING_DOWN,
        /** The loop ends after this iteration. */
        STOPPED
    }

    private final Counters counters = new Counters();
    private final ServerSettings settings;
    private final Selector selector;
    private final LoopContext context;
    /** Its own listening socket's acceptor, or null when another reactor's acceptor hands it connections. */
    private final Acceptor acceptor;
    /** Where it stands among the server's reactors, and how many there are: its sessions' ids are its own. */
    private final int index;
    private final int reactorCount;
    private long connectionsSetUp;
    /** Sockets handed to it and not yet released: what the acceptor balances by, from any thread. */
    private final AtomicInteger held = new AtomicInteger();
    private final DirectBufferPool pool;
    /** What TLS connections share, or null when the server speaks plain TCP. */
    private final TlsSupport tls;
    private final MessageDeflater sharedDeflater;
    private final OutputBudget budget;
    private final TimerQueue timers = new TimerQueue();
    private final TaskQueue tasks;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ConnectionSet connections = new ConnectionSet();
    private final ArrayList<SocketDriver> dirty = new ArrayList<>();
    private final TimerQueue.Entry shutdownDeadline = new TimerQueue.Entry() {
    };

    private long now = System.nanoTime();
    /** Set before each select, cleared by the first readiness callback, which reads the clock again. */
    private boolean clockStale;
    private volatile Thread thread;
    private LoopState state = LoopState.RUNNING;

    /**
     * A loop with its own selector, timers, buffers and compressor. With {@code listening} it accepts from that
     * socket and hands each connection to {@code handOff} (itself, or the least loaded reactor); without, it
     * serves only what another reactor's acceptor hands it through {@link #take}.
     */
    Reactor(ServerSettings settings, int index, int reactorCount, ServerSocketChannel listening,
            Consumer<SocketChannel> handOff) throws IOException {
        this.settings = settings;
        this.index = index;
        this.reactorCount = reactorCount;
        this.pool = new DirectBufferPool(settings.outputBufferSize, 256);
        DeflateConfig deflate = settings.connection.deflate();
        this.sharedDeflater = deflate.enabled() && deflate.sharedCompressor() ? new MessageDeflater(deflate.level())
                : null;
        this.tls = settings.tls == null ? null : new TlsSupport(settings.tls);
        this.budget = new OutputBudget(settings.limits, counters);
        this.selector = Selector.open();
        this.tasks = new TaskQueue(selector);
        this.context = new LoopContext(this, settings, pool, sharedDeflater, tls,
                ByteBuffer.allocateDirect(64 * 1024));
        try {
            this.acceptor = listening == null ? null : new Acceptor(context, listening, selector, timers, handOff);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    void bindThread(Thread t) {
        this.thread = t;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop as its connections see it

    @Override
    public long now() {
        return now;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean execute(Runnable task) {
        return tasks.offer(task);
    }

    @Override
    public void markDirty(SocketDriver connection) {
        if (connection.markToSettle()) {
            dirty.add(connection);
        }
    }

    @Override
    public void schedule(SocketDriver connection, long deadlineNanos) {
        timers.schedule(connection, deadlineNanos);
    }

    @Override
    public void released(SocketDriver connection) {
        timers.remove(connection);
        connections.remove(connection);
        counters.decrement(Counter.CONNECTIONS_OPEN);
        held.decrementAndGet();
    }

    @Override
    public Counters counters() {
        return counters;
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
        counters.increment(Counter.CONNECTIONS_ACCEPTED);
        counters.increment(Counter.CONNECTIONS_OPEN);
        timers.schedule(connection, connection.protocol.nextDeadlineNanos());
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
        connection.register(selector);
        return connection;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** Begins a graceful shutdown, from any thread; {@link #awaitTermination} waits for its end. */
    void shutdown() {
        execute(this::beginShutdown);
    }

    /** Waits until the loop has stopped or the clock passes {@code deadlineNanos}; false if it has not stopped. */
    boolean awaitTermination(long deadlineNanos) {
        try {
            return terminated.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting, sends 1001 to every session and lets them close within the grace period. */
    private void beginShutdown() {
        if (state != LoopState.RUNNING) {
            return;
        }
        state = LoopState.SHUTTING_DOWN;
        if (acceptor != null) {
            acceptor.close();
        }
        timers.schedule(shutdownDeadline, now + settings.shutdownGrace.toNanos());
        for (int i = 0; i < connections.size(); i++) {
            SocketDriver connection = connections.get(i);
            connection.protocol.close(CloseCode.GOING_AWAY, "server shutting down", now);
            markDirty(connection);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop

    @Override
    public void run() {
        bindThread(Thread.currentThread());
        LoopGuard.run(this::iterate, () -> state == LoopState.STOPPED, this::stop, counters);
    }

    /** The end of the loop, however it ended: every connection closed, and the waiters released in any case. */
    private void stop() {
        try {
            state = LoopState.STOPPED;
            releaseAll();
            tasks.close(); // sends find every session closed, sockets handed over are closed, calls complete
            if (acceptor != null) {
                acceptor.close();
            }
            Acceptor.closeQuietly(selector);
            if (sharedDeflater != null) {
                sharedDeflater.close();
            }
            counters.publish();
        } finally {
            terminated.countDown();
        }
    }

    private void iterate() throws IOException {
        now = System.nanoTime();
        long earliest = timers.earliest();
        tasks.beforeSelect();
        clockStale = true; // the select may block for long and calls onReady before it returns
        if (!tasks.isEmpty() || !dirty.isEmpty()) {
            selector.selectNow(onReady);
        } else if (earliest == Long.MAX_VALUE) {
            selector.select(onReady);
        } else {
            long waitNanos = earliest - now;
            if (waitNanos <= 0) {
                selector.selectNow(onReady);
            } else {
                selector.select(onReady, Math.max(1, (waitNanos + 999_999) / 1_000_000));
            }
        }
        now = System.nanoTime();
        tasks.runSome();
        runTimers();
        settleDirty();
        if (state == LoopState.SHUTTING_DOWN && connections.size() == 0) {
            state = LoopState.STOPPED;
        }
        budget.afterIteration(connections, now);
        counters.publish();
    }

    private void runTimers() {
        TimerQueue.Entry entry;
        while ((entry = timers.pollDue(now)) != null) {
            if (entry instanceof SocketDriver connection) {
                try {
                    connection.onDeadline(now);
                } catch (Throwable error) {
                    connection.fail(error);
                }
            } else if (acceptor != null && entry == acceptor.backoff) {
                acceptor.onBackoffOver(); // never throws
            } else if (entry == shutdownDeadline) {
                releaseAll(); // the grace period is over: drop whoever is left
                state = LoopState.STOPPED;
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (clockStale) {
            // Read the clock once per wake-up: a connection accepted after a long idle select must not start
            // with a handshake deadline that is already in the past, nor a read count as older than it is.
            clockStale = false;
            now = System.nanoTime();
        }
        if (key.attachment() instanceof SocketDriver connection) {
            try {
                connection.onReady(key.readyOps());
            } catch (Throwable error) {
                connection.fail(error);
            }
        } else {
            acceptor.onReady(); // never throws
        }
    }

    private void settleDirty() {
        // A settle may run handlers (a timer's close) that mark more connections; index loop, not an iterator.
        for (int i = 0; i < dirty.size(); i++) {
            SocketDriver connection = dirty.get(i);
            try {
                connection.settle();
            } catch (Throwable error) {
                connection.fail(error);
            }
        }
        dirty.clear();
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
            if (connection.protocol.sendSharedFrame(frame.duplicate())) {
                sent++;
                markDirty(connection);
            }
        }
        counters.add(Counter.MESSAGES_SENT, sent);
        return sent;
    }

    /** Every open session. */
    List<Session> sessions() {
        return connections.openSessions();
    }

    /** Its counters, as of the end of its last loop iteration, from any thread. */
    ServerStats stats() {
        return counters.snapshot();
    }

    /** TLS ciphertext buffers connections hold now (none for an idle connection); 0 without TLS. */
    long tlsBuffersInUse() {
        return tls == null ? 0 : tls.netPool.inUse();
    }
}
