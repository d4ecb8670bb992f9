package dev.wsreactor.examples.seats;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where bookings are decided. Each operation is atomic against every other, on this node and (for a shared store)
 * on every node, and completes with the change made or fails with {@link SeatMap.Rejected} when the rules refuse
 * it; any other failure means the store could not be asked. None of them blocks the caller.
 */
interface SeatStore extends AutoCloseable {

    /** Everything taken as of one version: what a node rebuilds its view from. */
    record Snapshot(long version, List<SeatChange> taken) {
    }

    /** A hold that has not run out yet by the store's clock; try again after {@code remainingMs}. */
    final class NotYet extends Exception {
        final long remainingMs;

        NotYet(long remainingMs) {
            super("not expired yet", null, false, false);
            this.remainingMs = remainingMs;
        }
    }

    CompletableFuture<SeatChange> hold(String seat, String owner);

    CompletableFuture<SeatChange> release(String seat, String owner);

    CompletableFuture<SeatChange> confirm(String seat, String owner);

    /**
     * Frees the seat if the hold made at {@code holdVersion} is still there and has run out; completes with null if
     * it was released, sold or held anew meanwhile, and fails with {@link NotYet} if it has time left.
     */
    CompletableFuture<SeatChange> expire(String seat, long holdVersion);

    /** Every taken seat and the version they are as of, read atomically. */
    CompletableFuture<Snapshot> snapshot();

    /** The version of the latest change. */
    CompletableFuture<Long> version();

    /** What it is, for {@code /stats}: {@code memory} or {@code redis}. */
    String kind();

    @Override
    void close();
}
