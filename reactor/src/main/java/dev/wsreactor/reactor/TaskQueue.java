package dev.wsreactor.reactor;

import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How other threads reach a loop: a lock-free queue of tasks and one {@code Selector.wakeup()} per burst of them.
 * Any thread may {@link #offer}; only the loop's thread runs them. Once the loop has {@link #close closed} it, a
 * task is either run by that last drain or refused, never silently lost: a caller waiting on it is never left
 * hanging, and a socket handed over is never left open.
 */
final class TaskQueue {

    /** Tasks run per loop iteration at most, so a flood of them cannot starve the sockets. */
    private static final int TASKS_PER_ITERATION = 4096;

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean closed;

    TaskQueue(Selector selector) {
        this.selector = selector;
    }

    /** Queues a task and wakes the loop; false once the queue is closed (the task will not run). */
    boolean offer(Runnable task) {
        if (closed) {
            return false;
        }
        tasks.add(task);
        if (closed && tasks.remove(task)) {
            return false; // the last drain ended before it: it will never run, so say so
        }
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup(); // one wake-up per burst of tasks, not one per task
        }
        return true;
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** The loop is about to select: a task offered from now on wakes it again. */
    void beforeSelect() {
        wakeupPending.set(false);
    }

    /** Runs the tasks queued so far, up to a bound; what is left runs next iteration. */
    void runSome() {
        for (int budget = TASKS_PER_ITERATION; budget > 0; budget--) {
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

    /** Refuses new tasks and runs every task already queued: the loop's last step. */
    void close() {
        closed = true;
        while (!tasks.isEmpty()) {
            runSome();
        }
    }
}
