package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.ReactorLog.LOG;

import java.lang.System.Logger.Level;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How other threads reach a loop: a lock-free queue of tasks and one {@link Selector#wakeup()} per burst of them.
 * The loop runs them in the order they were queued, a bounded number per iteration.
 */
final class LoopTasks {

    /** Tasks run per iteration at most, so a flood of tasks cannot starve the sockets. */
    private static final int BUDGET = 4096;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Selector selector;
    private volatile boolean closed;

    LoopTasks(Selector selector) {
        this.selector = selector;
    }

    /** From any thread: queue the task and wake the loop if it may be selecting; false once the loop ended. */
    boolean offer(Runnable task) {
        if (closed) {
            return false;
        }
        tasks.add(task);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
        return true;
    }

    /** The loop has ended: refuse tasks from now on (it runs what was queued before, one last time). */
    void close() {
        closed = true;
    }

    /** On the loop, before it selects: a task queued from now on wakes it again. */
    void beforeSelect() {
        wakeupPending.set(false);
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** On the loop: runs what is queued, within the budget; a task that throws is logged and the rest still run. */
    void run() {
        for (int budget = BUDGET; budget > 0; budget--) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable error) {
                LOG.log(Level.WARNING, "a task queued for the loop threw", error);
            }
        }
    }
}
