package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The futures of sends that asked to hear when their bytes are written, each with the output position its
 * message ends at, oldest first (positions only grow, so a ring in send order is also in position order). Plain
 * sends put nothing here: the check after a write is one comparison while this is empty.
 *
 * <p>Belongs to the loop's thread; every future completes there, exactly once, one way or the other.
 */
final class WriteCompletions {

    private long[] marks = new long[4];
    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletableFuture<Void>[] futures = new CompletableFuture[4];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** The future completes once the output has been written up to {@code mark}. */
    void add(long mark, CompletableFuture<Void> future) {
        if (size == marks.length) {
            grow();
        }
        int tail = (head + size) & (marks.length - 1);
        marks[tail] = mark;
        futures[tail] = future;
        size++;
    }

    /** Completes every future whose message ends at or before {@code written}. */
    void writtenUpTo(long written) {
        while (size > 0 && marks[head] <= written) {
            take().complete(null);
        }
    }

    /** Fails the futures of messages that end after {@code kept} (their frames were dropped), keeping the rest. */
    void droppedAfter(long kept, CloseCode code) {
        for (int tail = last(); size > 0 && marks[tail] > kept; tail = last()) {
            CompletableFuture<Void> future = futures[tail];
            futures[tail] = null;
            size--;
            future.completeExceptionally(new SessionClosedException(code));
        }
    }

    /** The ring index of the newest entry. */
    private int last() {
        return (head + size - 1) & (marks.length - 1);
    }

    /** The session is closed: every future left fails with its close code. */
    void failAll(CloseCode code) {
        while (size > 0) {
            take().completeExceptionally(new SessionClosedException(code));
        }
    }

    private CompletableFuture<Void> take() {
        CompletableFuture<Void> future = futures[head];
        futures[head] = null;
        head = (head + 1) & (marks.length - 1);
        size--;
        return future;
    }

    private void grow() {
        long[] biggerMarks = new long[marks.length * 2];
        CompletableFuture<Void>[] biggerFutures = Arrays.copyOf(futures, futures.length * 2); // the type, not the order
        for (int i = 0; i < size; i++) { // the ring is full: every slot is rewritten, the new half is null already
            int from = (head + i) & (marks.length - 1);
            biggerMarks[i] = marks[from];
            biggerFutures[i] = futures[from];
        }
        marks = biggerMarks;
        futures = biggerFutures;
        head = 0;
    }
}
