package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import dev.wsreactor.protocol.handshake.HandshakePolicy;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The event loop: one thread, one {@link Selector}, every socket of the server.
 *
 * <p>One iteration: wait for readiness or the next deadline, run the tasks other threads queued, handle each
 * ready socket (accept, read, write), fire due deadlines, then settle every connection that has something new
 * (write what it queued, close what should close, re-arm its timer). Reads go into one direct buffer owned by
 * the loop; the protocol consumes every byte of it before the next read, so a connection owns no input memory.
 *
 * <p>Nothing here blocks and nothing here is locked: every field belongs to the loop's thread, except the task
 * queue and the wake-up flag, which are how other threads reach it.
 */
final class Reactor implements Runnable {

    static final Logger LOG = System.getLogger("dev.wsreactor.reactor");

    /** Bytes read per readiness event at most, so one busy connection cannot starve the others. */
    private static final int READS_PER_EVENT = 4;
    /** Connections accepted per readiness event at most. */
    private static final int ACCEPTS_PER_EVENT = 64;
    private static final long ACCEPT_BACKOFF_MIN_NANOS = 10_000_000L;
    private static final long ACCEPT_BACKOFF_MAX_NANOS = 1_000_000_000L;

    final Counters counters = new Counters();
    private final ServerSettings settings;
    private final ConnectionConfig connectionConfig;
    private final Selector selector;
    private final ServerSocketChannel serverChannel;
    private final SelectionKey acceptKey;
    private final DirectBufferPool pool;
    /** What TLS connections share, or null when the server speaks plain TCP. */
    private final TlsSupport tls;
    /** One compressor for every connection (reset per message), or null: safe because only this thread uses it. */
    private final MessageDeflater sharedDeflater;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final TimerQueue timers = new TimerQueue();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Consumer<SelectionKey> onReady = this::onReady;

    private ReactorConnection[] connections = new ReactorConnection[256];
    private int connectionCount;
    private final ArrayList<ReactorConnection> dirty = new ArrayList<>();
    private long nextId = 1;
    private long now = System.nanoTime();
    /** Set before each select, cleared by the first readiness callback, which reads the clock again. */
    private boolean clockStale;
    private volatile Thread thread;
    private volatile boolean accepting = true;
    private boolean shuttingDown;
    private boolean stopped;

    private final Deadline acceptBackoff = new Deadline();
    private long acceptBackoffNanos;
    private final Deadline shutdownDeadline = new Deadline();

    /** A deadline of the loop itself rather than of a connection. */
    private static final class Deadline extends TimerQueue.Entry {
    }

    Reactor(ServerSettings settings) throws IOException {
        this.settings = settings;
        HandshakePolicy capacity = request -> counters.connectionsOpen > settings.maxConnections()
                ? HandshakeRejection.of(HttpStatus.SERVICE_UNAVAILABLE, "the server is at its connection limit")
                : null;
        ConnectionConfig config = settings.connection();
        this.connectionConfig = config.withHandshake(
                config.handshake().withPolicy(capacity.and(config.handshake().policy())));
        this.pool = new DirectBufferPool(settings.outputBufferSize(), 256);
        DeflateConfig deflate = config.deflate();
        this.sharedDeflater = deflate.enabled() && deflate.sharedCompressor() ? new MessageDeflater(deflate.level())
                : null;
        this.tls = settings.tls() == null ? null : new TlsSupport(settings.tls());
        this.selector = Selector.open();
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(settings.address(), settings.backlog());
            channel.configureBlocking(false);
            this.acceptKey = channel.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            channel.close();
            selector.close();
            throw e;
        }
        this.serverChannel = channel;
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException e) {
            return settings.address();
        }
    }

    ServerSettings settings() {
        return settings;
    }

    DirectBufferPool pool() {
        return pool;
    }

    MessageDeflater sharedDeflater() {
        return sharedDeflater;
    }

    /** The loop's clock: {@code System.nanoTime()} read once per step. */
    long now() {
        return now;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    void bindThread(Thread t) {
        this.thread = t;
    }

    // ---------------------------------------------------------------------------------------------------------
    // How other threads reach the loop

    /**
     * Queues a task for the loop thread and wakes it. Tasks run in the order they were queued, so what one thread
     * queues runs in its order. Returns false once the loop has stopped.
     */
    boolean execute(Runnable task) {
        if (terminated.getCount() == 0) {
            return false;
        }
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup(); // one wake-up per burst of tasks, not one per task
        }
        return true;
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Stops accepting, sends 1001 to every session and lets them close within the grace period. */
    void beginShutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        accepting = false;
        acceptKey.cancel();
        closeQuietly(serverChannel);
        timers.remove(acceptBackoff);
        timers.schedule(shutdownDeadline, now + settings.shutdownGrace().toNanos());
        for (int i = 0; i < connectionCount; i++) {
            ReactorConnection rc = connections[i];
            rc.protocol.close(CloseCode.GOING_AWAY, "server shutting down", now);
            markDirty(rc);
        }
    }

    boolean isAccepting() {
        return accepting;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop

    @Override
    public void run() {
        bindThread(Thread.currentThread());
        try {
            while (!stopped) {
                iterate();
            }
        } catch (Throwable fatal) {
            // Only a failure of the selector itself gets here; per-connection failures are contained below.
            LOG.log(Level.ERROR, "the reactor loop failed; closing every connection", fatal);
        } finally {
            for (int i = connectionCount - 1; i >= 0; i--) {
                releaseQuietly(connections[i]);
            }
            runTasks(); // sends queued after the end find every session closed and are dropped with them
            closeQuietly(serverChannel);
            closeQuietly(selector);
            if (sharedDeflater != null) {
                sharedDeflater.close();
            }
            counters.publish();
            terminated.countDown();
        }
    }

    private void iterate() throws IOException {
        now = System.nanoTime();
        long earliest = timers.earliest();
        wakeupPending.set(false);
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
        runTasks();
        runTimers();
        settleDirty();
        if (shuttingDown && connectionCount == 0) {
            stopped = true;
        }
        counters.publish();
    }

    private void runTasks() {
        // Bounded, so a flood of tasks cannot starve the sockets; what is left runs next iteration.
        for (int budget = 4096; budget > 0; budget--) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable error) {
                LOG.log(Level.WARNING, "a task queued for the reactor threw", error);
            }
        }
    }

    private void runTimers() {
        TimerQueue.Entry entry;
        while ((entry = timers.pollDue(now)) != null) {
            if (entry instanceof ReactorConnection rc) {
                try {
                    rc.onDeadline(now);
                    settle(rc);
                } catch (Throwable error) {
                    contain(rc, error);
                }
            } else if (entry == acceptBackoff) {
                if (accepting) {
                    acceptKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            } else if (entry == shutdownDeadline) {
                for (int i = connectionCount - 1; i >= 0; i--) {
                    releaseQuietly(connections[i]); // the grace period is over: drop whoever is left
                }
                stopped = true;
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
        if (key == acceptKey) {
            accept();
            return;
        }
        ReactorConnection rc = (ReactorConnection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                write(rc);
            }
            if ((ready & SelectionKey.OP_READ) != 0 && !rc.released) {
                read(rc);
            }
            settle(rc);
        } catch (Throwable error) {
            contain(rc, error);
        }
    }

    /** One connection misbehaved in a way nothing else caught: log it and drop that connection alone. */
    private void contain(ReactorConnection rc, Throwable error) {
        LOG.log(Level.WARNING, "connection " + rc.id + ": unexpected failure; dropping it", error);
        releaseQuietly(rc);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accept

    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_EVENT && accepting; i++) {
            SocketChannel channel;
            try {
                channel = serverChannel.accept();
            } catch (IOException e) {
                // Most likely out of file descriptors: stop asking for a while instead of spinning on it.
                counters.acceptErrors++;
                acceptBackoffNanos = Math.min(ACCEPT_BACKOFF_MAX_NANOS,
                        Math.max(ACCEPT_BACKOFF_MIN_NANOS, acceptBackoffNanos * 2));
                LOG.log(Level.WARNING, "accept failed (" + e + "); pausing accepts for "
                        + acceptBackoffNanos / 1_000_000 + " ms");
                acceptKey.interestOps(0);
                timers.schedule(acceptBackoff, now + acceptBackoffNanos);
                return;
            }
            if (channel == null) {
                acceptBackoffNanos = 0;
                return;
            }
            register(channel);
        }
    }

    private void register(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            long id = nextId++;
            ConnectionConfig config = connectionConfig;
            if (settings.trace() != null) {
                Consumer<String> sink = settings.trace();
                config = config.withTracer(line -> sink.accept("#" + id + " " + line));
            }
            ReactorConnection rc = new ReactorConnection(id, this, channel, remote, config, settings.handler(), now);
            rc.transport = tls == null ? new PlainTransport(channel, rc.protocol, counters)
                    : new TlsTransport(rc, channel, tls, counters);
            rc.key = channel.register(selector, SelectionKey.OP_READ, rc);
            add(rc);
            counters.connectionsAccepted++;
            timers.schedule(rc, rc.protocol.nextDeadlineNanos());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not set up an accepted connection: " + e);
            closeQuietly(channel);
        }
    }

    private void add(ReactorConnection rc) {
        if (connectionCount == connections.length) {
            connections = Arrays.copyOf(connections, connectionCount * 2);
        }
        rc.slot = connectionCount;
        connections[connectionCount++] = rc;
        counters.connectionsOpen = connectionCount;
    }

    private void remove(ReactorConnection rc) {
        int slot = rc.slot;
        if (slot < 0) {
            return;
        }
        ReactorConnection last = connections[--connectionCount];
        connections[slot] = last;
        last.slot = slot;
        connections[connectionCount] = null;
        rc.slot = -1;
        counters.connectionsOpen = connectionCount;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Read and write

    private void read(ReactorConnection rc) {
        // Input that waits inside the protocol (a slice of inflating per turn) goes first, on its timer.
        for (int i = 0; i < READS_PER_EVENT && !rc.protocol.hasPendingInput(); i++) {
            ConnectionState before = rc.protocol.state();
            int outcome = rc.transport.read(readBuffer, now);
            noteOutcome(before, rc.protocol.state());
            if (outcome == Transport.EOF) {
                release(rc);
                return;
            }
            if (outcome == Transport.DRAINED || rc.released || rc.readPaused || rc.transport.readBlocked()) {
                return;
            }
        }
    }

    /** On the loop, after a TLS handshake task ran on the executor: go on with the connection where it stopped. */
    void resume(ReactorConnection rc) {
        if (rc.released) {
            return;
        }
        try {
            ConnectionState before = rc.protocol.state();
            int outcome = ((TlsTransport) rc.transport).resumeInput(now);
            noteOutcome(before, rc.protocol.state());
            if (outcome == Transport.EOF) {
                release(rc);
                return;
            }
            settle(rc);
        } catch (Throwable error) {
            contain(rc, error);
        }
    }

    private void noteOutcome(ConnectionState before, ConnectionState after) {
        if (before != after) {
            if (after == ConnectionState.FAILING) {
                counters.protocolErrors++;
            } else if (after == ConnectionState.REJECTING && before == ConnectionState.HANDSHAKING) {
                counters.handshakesRejected++;
            }
        }
    }

    /** Writes what the connection has queued, at once; only what does not fit waits for OP_WRITE. */
    private void write(ReactorConnection rc) {
        int outcome = rc.transport.write();
        if (outcome == Transport.FAILED) {
            release(rc); // the peer is gone; what it did not get is reported as a 1006 close
            return;
        }
        setWriteInterest(rc, outcome == Transport.PENDING);
    }

    private void setWriteInterest(ReactorConnection rc, boolean interest) {
        if (rc.writeInterest != interest) {
            rc.writeInterest = interest;
            updateInterest(rc);
        }
    }

    private void updateInterest(ReactorConnection rc) {
        if (rc.released || !rc.key.isValid()) {
            return;
        }
        boolean noRead = (rc.readPaused && !rc.outputShutdown) || rc.readBlocked;
        int ops = (noRead ? 0 : SelectionKey.OP_READ)
                | (rc.writeInterest ? SelectionKey.OP_WRITE : 0);
        if (rc.key.interestOps() != ops) {
            rc.key.interestOps(ops);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Settling: after anything happened to a connection

    /** Marks a connection to be settled at the end of this iteration (after a send from a handler or a task). */
    void markDirty(ReactorConnection rc) {
        if (!rc.dirty && !rc.released) {
            rc.dirty = true;
            dirty.add(rc);
        }
    }

    private void settleDirty() {
        // A settle may run handlers (a timer's close) that mark more connections; index loop, not an iterator.
        for (int i = 0; i < dirty.size(); i++) {
            ReactorConnection rc = dirty.get(i);
            try {
                settle(rc);
            } catch (Throwable error) {
                contain(rc, error);
            }
        }
        dirty.clear();
    }

    /**
     * Brings the socket in line with the protocol: write what is queued, apply backpressure, close TCP when the
     * protocol says so, and re-arm the timer if the next deadline moved earlier.
     */
    private void settle(ReactorConnection rc) {
        rc.dirty = false;
        if (rc.released) {
            return;
        }
        Connection protocol = rc.protocol;
        Transport transport = rc.transport;
        if (transport.readBlocked() != rc.readBlocked) {
            rc.readBlocked = !rc.readBlocked; // a TLS handshake task started or ended elsewhere
            updateInterest(rc);
        }
        if (!rc.writeInterest && !rc.outputShutdown && transport.hasOutput()) {
            write(rc);
            if (rc.released) {
                return;
            }
        }
        if (protocol.shouldCloseTransport()) {
            closeTransport(rc);
            if (rc.released) {
                return;
            }
        }
        applyBackpressure(rc, transport.pendingBytes());
        long deadline = protocol.nextDeadlineNanos();
        if (!rc.isScheduled() || deadline - rc.deadline < 0) {
            timers.schedule(rc, deadline);
        }
        rc.publish();
    }

    private void applyBackpressure(ReactorConnection rc, long queued) {
        if (queued > settings.maxQueuedBytes() && rc.protocol.state() == ConnectionState.OPEN) {
            // The peer does not read what we send: memory must stay bounded whatever a client does.
            counters.slowConsumersClosed++;
            LOG.log(Level.INFO, "connection " + rc.id + ": " + queued + " bytes queued, over the limit of "
                    + settings.maxQueuedBytes() + "; closing it as a slow consumer (1008)");
            rc.protocol.close(CloseCode.POLICY_VIOLATION, "slow consumer: too much data queued", now);
        }
        if (!rc.readPaused && queued > settings.highWaterMark()) {
            rc.readPaused = true; // stop reading (and so stop producing echoes) until the peer catches up
            updateInterest(rc);
        } else if (rc.readPaused && queued <= settings.lowWaterMark()) {
            rc.readPaused = false;
            updateInterest(rc);
        }
    }

    /**
     * The protocol is done with TCP. The server closes first (§7.1.1) but half-closes: it sends its FIN and reads
     * until the peer's, so that unread bytes from the peer do not turn the close into a reset that could destroy
     * our last frame (or HTTP response) before the peer reads it. The protocol's close timer bounds the wait.
     */
    private void closeTransport(ReactorConnection rc) {
        if (rc.protocol.state() == ConnectionState.CLOSED) {
            release(rc);
            return;
        }
        if (!rc.outputShutdown) {
            int outcome = rc.transport.shutdownOutput();
            if (outcome == Transport.FAILED) {
                release(rc);
                return;
            }
            if (outcome == Transport.PENDING) {
                setWriteInterest(rc, true); // the last bytes (TLS close_notify) first; settled again after they go
                return;
            }
            rc.outputShutdown = true;
            updateInterest(rc);
        }
    }

    /** Closes the socket, tells the protocol (which tells the handler) and gives back every buffer. */
    private void release(ReactorConnection rc) {
        if (rc.released) {
            return;
        }
        rc.released = true;
        rc.key.cancel();
        closeQuietly(rc.channel);
        timers.remove(rc);
        remove(rc);
        rc.transport.release();
        try {
            if (rc.protocol.state() != ConnectionState.CLOSED) {
                rc.protocol.transportClosed(now);
            }
        } finally {
            rc.protocol.output().clear();
            rc.publish();
        }
    }

    private void releaseQuietly(ReactorConnection rc) {
        try {
            release(rc);
        } catch (Throwable error) {
            LOG.log(Level.WARNING, "connection " + rc.id + ": failure while closing", error);
        }
    }

    /** Runs on the loop: queues one pre-encoded frame to every open session the filter accepts. */
    int broadcast(ByteBuffer frame, java.util.function.Predicate<Session> filter) {
        int sent = 0;
        for (int i = 0; i < connectionCount; i++) {
            ReactorConnection rc = connections[i];
            if (rc.protocol.state() != ConnectionState.OPEN || (filter != null && !filter.test(rc))) {
                continue;
            }
            if (rc.protocol.sendSharedFrame(frame.duplicate())) {
                sent++;
                markDirty(rc);
            }
        }
        counters.messagesSent += sent;
        return sent;
    }

    /** Runs on the loop: every open session. */
    java.util.List<Session> sessions() {
        java.util.List<Session> open = new ArrayList<>(connectionCount);
        for (int i = 0; i < connectionCount; i++) {
            if (connections[i].protocol.state() == ConnectionState.OPEN) {
                open.add(connections[i]);
            }
        }
        return open;
    }

    /** TLS ciphertext buffers connections hold now (none for an idle connection); 0 without TLS. */
    long tlsBuffersInUse() {
        return tls == null ? 0 : tls.netPool.inUse();
    }

    int bufferPoolInUse() {
        return (int) pool.inUse();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing is best effort: there is nothing left to tell the peer.
        }
    }
}
