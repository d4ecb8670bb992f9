package dev.wsreactor.examples.seats;

import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.examples.seats.SeatMap.State;
import java.util.concurrent.TimeUnit;

/**
 * One seat's new state as the store decided it: what a node applies to its view and tells its pages, and what it
 * publishes to the other nodes.
 *
 * @param seat the seat's name
 * @param state its new state
 * @param owner the holder or buyer; null when free
 * @param expiresInMs when held: how long the hold has left, as of the decision (relative, so nodes need no common
 *     clock); else 0
 * @param version the store's change count at this change: newer changes have higher versions
 * @param cause {@code held}, {@code released}, {@code sold} or {@code expired}
 */
record SeatChange(String seat, State state, String owner, long expiresInMs, long version, String cause) {

    /** The seat as a map holds it now. */
    static SeatChange of(Seat seat, String cause, long now) {
        long left = seat.state == State.HELD ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(seat.expiresAt - now)) : 0;
        return new SeatChange(seat.name, seat.state, seat.owner, left, seat.version, cause);
    }
}
