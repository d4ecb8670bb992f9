package dev.wsreactor.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One way to run a loop: one thread, one {@link Selector}, its clock, task queue, timers, buffers and the list of
 * connections to settle, and the iteration every loop runs: wait for readiness or the next deadline, dispatch each
 * ready key, run the queued tasks, fire due deadlines, settle what has something new. A server's {@link Reactor}
 * and a client's own {@link ClientLoop} are this loop; what differs (accepting, shutting down) is in the hooks.
 *
 * <p>Any loop also serves client connections ({@link Connector}, then a {@link SocketDriver}): each client keeps
 * its own {@link ClientSet} on the loop, so a client can live on a server's reactors.
 *
 * <p>Every field belongs to the loop's thread, except the task queue, the set of clients and the termination
 * latch, which are how other threads reach it.
 */
abstract class EventLoop implements Runnable, Loop {

    private final Counters counters = new Counters();
    private final Selector selector;
    private final TaskQueue tasks;
    private final TimerQueue timers = new TimerQueue();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ArrayList<SocketDriver> dirty = new ArrayList<>();
    /** The clients with connections here: released with the loop if it ends before they close. */
    private final Set<ClientSet> clients = ConcurrentHashMap.newKeySet();
    /** The direct buffers outgoing frames are encoded into, for every connection of the loop. */
    final DirectBufferPool pool;
    /** The loop's one direct read buffer (see {@link LoopContext#readBuffer}). */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);

    private volatile Thread thread;
    private long now = System.nanoTime();
    /** Set before each select, cleared by the first readiness callback, which reads the clock again. */
    private boolean clockStale;

    /** Opens the selector; {@code outputBufferSize} and {@code pooledBuffers} size the output buffer pool. */
    EventLoop(int outputBufferSize, int pooledBuffers) throws IOException {
        this.selector = Selector.open();
        this.tasks = new TaskQueue(selector);
        this.pool = new DirectBufferPool(outputBufferSize, pooledBuffers);
    }

    /** Names the thread that will run it (before it starts, so {@link #inLoop} is true on it from the start). */
    void bindThread(Thread t) {
        this.thread = t;
    }

    Selector selector() {
        return selector;
    }

    TimerQueue timers() {
        return timers;
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

    /** Arms a connector's connect deadline. */
    void schedule(Connector connector, long deadlineNanos) {
        timers.schedule(connector, deadlineNanos);
    }

    /** Forgets a connector's deadline. */
    void cancel(Connector connector) {
        timers.remove(connector);
    }

    @Override
    public final void released(SocketDriver connection) {
        timers.remove(connection);
        if (connection.settings.handler instanceof ClientSessionHandler opening) {
            opening.released(connection);
        } else {
            releasedAccepted(connection);
        }
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** A client will open connections here; from any thread. */
    void join(ClientSet client) {
        clients.add(client);
    }

    /** A client has closed and its sockets here are gone; from any thread. */
    void leave(ClientSet client) {
        clients.remove(client);
    }

    /** On the loop: every client's connections here are sent 1001, their connectors failed (a shutdown). */
    void closeClients() {
        for (ClientSet client : clients) {
            client.closeAll();
        }
    }

    /** On the loop: whether a client still has a socket here. */
    boolean hasClientSockets() {
        for (ClientSet client : clients) {
            if (!client.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads

    boolean isTerminated() {
        return terminated.getCount() == 0;
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

    // ---------------------------------------------------------------------------------------------------------
    // The loop

    @Override
    public void run() {
        bindThread(Thread.currentThread());
        LoopGuard.run(this::iterate, this::isStopped, this::stop, counters);
    }

    /** The end of the loop, however it ended: every connection closed, and the waiters released in any case. */
    private void stop() {
        try {
            beforeStop();
            for (ClientSet client : clients) {
                client.releaseAll();
            }
            tasks.close(); // sends find every session closed, sockets handed over are closed, calls complete
            afterStop();
            Acceptor.closeQuietly(selector);
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
        afterIteration();
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
            } else if (entry instanceof Connector connector) {
                connector.onDeadline(); // never throws
            } else {
                onOtherDeadline(entry);
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
        } else if (key.attachment() instanceof Connector connector) {
            connector.onReady(); // never throws
        } else {
            onOtherReady(key);
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

    // ---------------------------------------------------------------------------------------------------------
    // What a kind of loop adds

    /** Whether the loop ends now (checked before each iteration). */
    abstract boolean isStopped();

    /** A ready key that is neither a connection nor a connector (a listening socket); never throws. */
    void onOtherReady(SelectionKey key) {
    }

    /** A due deadline that is neither a connection's nor a connector's. */
    void onOtherDeadline(TimerQueue.Entry entry) {
    }

    /** At the end of each iteration, after every connection was settled. */
    void afterIteration() {
    }

    /** An accepted connection's socket is closed (client connections tell their {@link ClientSet}). */
    void releasedAccepted(SocketDriver connection) {
    }

    /** The loop is ending: release what it serves, before the task queue's last drain. */
    void beforeStop() {
    }

    /** After the last drain of the task queue, before the selector closes. */
    void afterStop() {
    }
}
