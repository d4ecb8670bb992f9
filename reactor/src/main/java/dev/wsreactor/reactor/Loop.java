package dev.wsreactor.reactor;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What a connection sees of the event loop that runs it: the loop's clock and counters, its task queue, and the
 * few things a connection asks of it. Everything but {@link #execute} and {@link #inLoop} is for the loop's
 * thread only.
 */
interface Loop {

    /** The loop's clock: {@code System.nanoTime()} read once per step. */
    long now();

    /** Whether the calling thread is the loop's. */
    boolean inLoop();

    /**
     * Queues a task for the loop's thread, from any thread, and wakes the loop. Tasks run in the order they were
     * queued. Returns false once the loop has stopped.
     */
    boolean execute(Runnable task);

    /**
     * Runs {@code work} on the loop's thread (at once if called there) and completes with its result, or with
     * {@code ifStopped} when the loop has stopped.
     */
    default <T> CompletableFuture<T> call(Supplier<T> work, T ifStopped) {
        if (inLoop()) {
            return CompletableFuture.completedFuture(work.get());
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = execute(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable error) {
                result.completeExceptionally(error);
            }
        });
        if (!queued) {
            result.complete(ifStopped);
        }
        return result;
    }

    /** Settles this connection at the end of the current iteration (it has output or state to act on). */
    void markDirty(SocketDriver connection);

    /** Arms the connection's timer for this deadline ({@code Long.MAX_VALUE}: none). */
    void schedule(SocketDriver connection, long deadlineNanos);

    /** The connection's socket is closed: the loop forgets it (its timer, its place among the open ones). */
    void released(SocketDriver connection);

    Counters counters();
}
