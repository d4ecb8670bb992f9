package dev.wsreactor.reactor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one session's tasks on a shared executor one at a time, in the order they were submitted: at most one task
 * of this session runs or waits in the executor at any moment, and it runs the others after it. Submitting is a
 * lock-free queue and one atomic counter, so the reactor never blocks handing work over.
 *
 * <p>A drain runs a batch, then lets the executor's other work go first. An executor that refuses (one shut
 * down) gets the tasks run on the submitting thread instead, so that no session is left without its onClose.
 */
final class SerialExecutor implements Executor {

    private static final int BATCH = 64;

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger(); // tasks submitted and not yet run

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    /** Queues a task that must not throw (the caller wraps what it runs). */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (queued.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException refused) {
            drain();
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            tasks.poll().run();
            if (queued.decrementAndGet() == 0) {
                return;
            }
        }
        schedule(); // the rest in a new turn: other sessions' calls are not held up by this one's burst
    }
}
