package dev.wsreactor.examples.seats;

import dev.wsreactor.examples.seats.SeatMap.Seat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The single node's store: a {@link SeatMap} in memory. Called on the reactor thread only, which is what makes
 * each operation atomic without a lock; so every future is complete when it is returned.
 */
final class MemorySeatStore implements SeatStore {

    private final SeatMap map;
    private final long holdNanos;

    MemorySeatStore(int maxHoldsPerClient, long holdNanos) {
        this.map = new SeatMap(maxHoldsPerClient);
        this.holdNanos = holdNanos;
    }

    /** One of the map's operations, which may refuse. */
    private interface Rule {
        Seat apply(long now) throws SeatMap.Rejected;
    }

    private CompletableFuture<SeatChange> decide(String cause, Rule rule) {
        long now = System.nanoTime();
        try {
            Seat seat = rule.apply(now);
            return CompletableFuture.completedFuture(seat == null ? null : SeatChange.of(seat, cause, now));
        } catch (SeatMap.Rejected e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<SeatChange> hold(String seat, String owner) {
        return decide("held", now -> map.hold(seat, owner, now, holdNanos));
    }

    @Override
    public CompletableFuture<SeatChange> release(String seat, String owner) {
        return decide("released", now -> map.release(seat, owner));
    }

    @Override
    public CompletableFuture<SeatChange> confirm(String seat, String owner) {
        return decide("sold", now -> map.confirm(seat, owner));
    }

    @Override
    public CompletableFuture<SeatChange> expire(String seat, long holdVersion) {
        Seat held = map.seat(seat);
        if (held != null && held.version == holdVersion && held.expiresAt - System.nanoTime() > 0) {
            return CompletableFuture.failedFuture(
                    new NotYet(TimeUnit.NANOSECONDS.toMillis(held.expiresAt - System.nanoTime()) + 1));
        }
        return decide("expired", now -> map.expire(seat, holdVersion));
    }

    @Override
    public CompletableFuture<Snapshot> snapshot() {
        long now = System.nanoTime();
        return CompletableFuture.completedFuture(new Snapshot(map.version(),
                map.taken().stream().map(seat -> SeatChange.of(seat, "held", now)).toList()));
    }

    @Override
    public CompletableFuture<Long> version() {
        return CompletableFuture.completedFuture(map.version());
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
