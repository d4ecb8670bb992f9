package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The event loop of a {@link WebSocketClient}: one thread, one selector, the client's outgoing sockets. A
 * socket is a {@link Connector} until TCP is up, then a {@link SocketDriver} like any server connection, so
 * reading, writing, backpressure, timers and closing are the server's own code.
 */
final class ClientLoop implements Runnable, Loop {

    private final Selector selector;
    private final TimerQueue timers = new TimerQueue();
    private final TaskQueue tasks;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final ArrayList<SocketDriver> dirty = new ArrayList<>();
    /** Connections and connectors still holding a socket, so that closing the client can release them. */
    private final Set<Object> open = new HashSet<>();
    private final Counters counters = new Counters();
    final DirectBufferPool pool;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private volatile Thread thread;
    private volatile boolean stopping;
    private long now = System.nanoTime();

    ClientLoop(int outputBufferSize) throws IOException {
        this.selector = Selector.open();
        this.tasks = new TaskQueue(selector);
        this.pool = new DirectBufferPool(outputBufferSize, 64);
    }

    Selector selector() {
        return selector;
    }

    void start(boolean daemon) {
        Thread t = new Thread(this, "wsreactor-client");
        t.setDaemon(daemon);
        thread = t;
        t.start();
    }

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

    @Override
    public void released(SocketDriver connection) {
        timers.remove(connection);
        open.remove(connection);
        counters.decrement(Counter.CONNECTIONS_OPEN);
        if (connection.settings.handler instanceof ClientSessionHandler opening) {
            opening.released(connection);
        }
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** A connector is waiting for TCP; on the loop. */
    void connecting(Connector connector) {
        open.add(connector);
    }

    /** A connector is done (connected or failed); on the loop. */
    void connectorDone(Connector connector) {
        timers.remove(connector);
        open.remove(connector);
    }

    /** TCP is up: the connection is the driver's from now on; on the loop. */
    void adopt(SocketDriver connection) {
        open.add(connection);
        counters.increment(Counter.CONNECTIONS_OPEN);
        markDirty(connection); // writes the handshake request and arms the handshake timer
    }

    /** Closes every connection with 1001 and stops the loop once they are gone or {@code waitNanos} passed. */
    void shutdown(long waitNanos) {
        execute(() -> {
            stopping = true;
            for (Object each : new ArrayList<>(open)) {
                if (each instanceof SocketDriver connection) {
                    connection.protocol.close(CloseCode.GOING_AWAY, "client closing", now);
                    markDirty(connection);
                } else {
                    ((Connector) each).fail(new IOException("the client was closed while connecting"));
                }
            }
        });
        if (inLoop()) {
            return;
        }
        try {
            if (!terminated.await(waitNanos, TimeUnit.NANOSECONDS)) {
                execute(() -> new ArrayList<>(open).forEach(ClientLoop::releaseQuietly));
                terminated.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (!(stopping && open.isEmpty())) {
                iterate();
            }
        } catch (Throwable fatal) {
            ReactorLog.error("the client loop failed; closing every connection", fatal);
        } finally {
            new ArrayList<>(open).forEach(ClientLoop::releaseQuietly);
            tasks.close(); // sends queued before the end run now and find their sessions closed
            terminated.countDown();
            Acceptor.closeQuietly(selector);
        }
    }

    private static void releaseQuietly(Object each) {
        if (each instanceof SocketDriver connection) {
            connection.releaseQuietly();
        } else {
            ((Connector) each).fail(new IOException("the client was closed while connecting"));
        }
    }

    private void iterate() throws IOException {
        now = System.nanoTime();
        long earliest = timers.earliest();
        tasks.beforeSelect();
        if (!tasks.isEmpty() || !dirty.isEmpty() || (earliest != Long.MAX_VALUE && earliest - now <= 0)) {
            selector.selectNow(this::onReady);
        } else if (earliest == Long.MAX_VALUE) {
            selector.select(this::onReady);
        } else {
            selector.select(this::onReady, Math.max(1, (earliest - now + 999_999) / 1_000_000));
        }
        now = System.nanoTime();
        tasks.runSome();
        TimerQueue.Entry due;
        while ((due = timers.pollDue(now)) != null) {
            if (due instanceof SocketDriver connection) {
                guarded(connection, () -> connection.onDeadline(now));
            } else {
                ((Connector) due).onDeadline();
            }
        }
        for (int i = 0; i < dirty.size(); i++) { // a settle may mark more: an index loop
            SocketDriver connection = dirty.get(i);
            guarded(connection, connection::settle);
        }
        dirty.clear();
        counters.publish();
    }

    private void onReady(SelectionKey key) {
        now = System.nanoTime();
        if (key.attachment() instanceof SocketDriver connection) {
            guarded(connection, () -> connection.onReady(key.readyOps()));
        } else if (key.attachment() instanceof Connector connector) {
            connector.onConnectable();
        }
    }

    private static void guarded(SocketDriver connection, Runnable step) {
        try {
            step.run();
        } catch (Throwable error) {
            connection.fail(error);
        }
    }
}
