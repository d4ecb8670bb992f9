package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event loop: one thread, one {@link Selector}, every socket of the server.
 *
 * <p>One iteration: wait for readiness or the next deadline, dispatch each ready key (the {@link Acceptor}, or a
 * connection's {@link SocketDriver}), run the tasks other threads queued, fire due deadlines, then settle every
 * connection that has something new. What happens to one connection happens in its driver; the loop only decides
 * when.
 *
 * <p>Nothing here blocks and nothing here is locked: every field belongs to the loop's thread, except the task
 * queue and the wake-up flag, which are how other threads reach it.
 *
 * <p>The loop cannot be ended from outside by a failure: whatever a connection, its transport, the protocol or
 * the handler throws is contained to that connection ({@link SocketDriver#fail}), and whatever escapes an
 * iteration is counted, logged and survived. Only a selector that keeps failing ends the loop, and then the
 * thread ends with that failure as its uncaught exception, after closing every connection.
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

    private final Counters counters;
    private final ServerSettings settings;
    private final Selector selector;
    private final Acceptor acceptor;
    private final DirectBufferPool pool;
    /** What TLS connections share, or null when the server speaks plain TCP. */
    private final TlsSupport tls;
    private final MessageDeflater sharedDeflater;
    private final OutputBudget budget;
    private final TimerQueue timers = new TimerQueue();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
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

    Reactor(ServerSettings settings, Counters counters) throws IOException {
        this.settings = settings;
        this.counters = counters;
        this.pool = new DirectBufferPool(settings.outputBufferSize, 256);
        DeflateConfig deflate = settings.connection.deflate();
        this.sharedDeflater = deflate.enabled() && deflate.sharedCompressor() ? new MessageDeflater(deflate.level())
                : null;
        this.tls = settings.tls == null ? null : new TlsSupport(settings.tls);
        this.budget = new OutputBudget(settings.limits, counters);
        this.selector = Selector.open();
        LoopContext context = new LoopContext(this, settings, pool, sharedDeflater, tls,
                ByteBuffer.allocateDirect(64 * 1024));
        try {
            this.acceptor = new Acceptor(context, selector, timers, this::adopt);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    InetSocketAddress localAddress() {
        return acceptor.localAddress();
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
        if (terminated.getCount() == 0) {
            return false;
        }
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup(); // one wake-up per burst of tasks, not one per task
        }
        return true;
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
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** A connection the acceptor set up: it is open from now on, and its handshake timer runs. */
    private void adopt(SocketDriver connection) {
        counters.increment(Counter.CONNECTIONS_ACCEPTED); // first: released() undoes them if what follows fails
        counters.increment(Counter.CONNECTIONS_OPEN);
        connections.add(connection);
        timers.schedule(connection, connection.protocol.nextDeadlineNanos());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** Begins a graceful shutdown and, called from another thread, waits up to {@code waitNanos} for its end. */
    void shutdown(long waitNanos) {
        execute(this::beginShutdown);
        if (inLoop()) {
            return; // the loop finishes the shutdown after this handler returns
        }
        try {
            if (!terminated.await(waitNanos, TimeUnit.NANOSECONDS)) {
                ReactorLog.warning("the reactor did not stop within the grace period");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, sends 1001 to every session and lets them close within the grace period. */
    private void beginShutdown() {
        if (state != LoopState.RUNNING) {
            return;
        }
        state = LoopState.SHUTTING_DOWN;
        acceptor.close();
        timers.schedule(shutdownDeadline, now + settings.shutdownGrace.toNanos());
        for (int i = 0; i < connections.size(); i++) {
            SocketDriver connection = connections.get(i);
            connection.protocol.close(CloseCode.GOING_AWAY, "server shutting down", now);
            markDirty(connection);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop

    /** Iterations in a row that may fail before the loop gives up: only a broken selector fails every time. */
    private static final int FAILURES_IN_A_ROW = 100;

    @Override
    public void run() {
        bindThread(Thread.currentThread());
        ClassPreload.libraryClasses(); // before the first connection, as is what a log line loads:
        ReactorLog.warmUp("serving " + (tls == null ? "ws" : "wss") + "://" + localAddress().getHostString() + ":"
                + localAddress().getPort() + "/ on thread " + Thread.currentThread().getName());
        Throwable fatal = null;
        try {
            int failuresInARow = 0;
            while (state != LoopState.STOPPED) {
                try {
                    iterate();
                    failuresInARow = 0;
                } catch (Throwable failure) {
                    counters.increment(Counter.INTERNAL_ERRORS);
                    if (failure instanceof ClosedSelectorException || ++failuresInARow >= FAILURES_IN_A_ROW) {
                        fatal = failure;
                        break;
                    }
                    ReactorLog.error("a reactor loop iteration failed; going on", failure);
                }
            }
        } finally {
            shutDownQuietly();
        }
        if (fatal != null) {
            ReactorLog.error("the reactor loop failed; every connection was closed", fatal);
            throw new IllegalStateException("the reactor loop failed", fatal);
        }
    }

    /** The end of the loop, whatever ended it: every step is attempted, and the waiters are always released. */
    private void shutDownQuietly() {
        try {
            releaseAll();
            runTasks(); // sends queued after the end find every session closed and are dropped with them
            acceptor.close();
            Acceptor.closeQuietly(selector);
            if (sharedDeflater != null) {
                sharedDeflater.close();
            }
            counters.publish();
        } catch (Throwable error) {
            ReactorLog.error("failure while stopping the reactor", error);
        } finally {
            terminated.countDown();
        }
    }

    private void iterate() throws IOException {
        if (Thread.interrupted()) { // else every select returns at once: the loop would spin
            ReactorLog.warning("the reactor thread was interrupted; ignored (closing the server stops it)");
        }
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
        if (state == LoopState.SHUTTING_DOWN && connections.size() == 0) {
            state = LoopState.STOPPED;
        }
        budget.afterIteration(connections, now);
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
                ReactorLog.warning("a task queued for the reactor threw", error);
            }
        }
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
            } else if (entry == acceptor.backoff) {
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
        List<Session> open = new ArrayList<>(connections.size());
        for (int i = 0; i < connections.size(); i++) {
            SocketDriver connection = connections.get(i);
            if (connection.protocol.state() == ConnectionState.OPEN) {
                open.add(connection.session);
            }
        }
        return open;
    }

    /** TLS ciphertext buffers connections hold now (none for an idle connection); 0 without TLS. */
    long tlsBuffersInUse() {
        return tls == null ? 0 : tls.netPool.inUse();
    }
}
