package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wsreactor.examples.seats.SeatMap.State;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a node tells a missed change (VersionGaps), and how its view takes changes late, twice or out of order. */
class VersionGapsTest {

    @Test
    void aVersionSeenEarlyWaitsUntilTheGapBeforeItFills() {
        VersionGaps gaps = new VersionGaps();
        gaps.seen(1);
        gaps.seen(3);
        gaps.seen(4);
        assertEquals(1, gaps.contiguous(), "2 is missing");
        gaps.seen(2);
        assertEquals(4, gaps.contiguous());
        gaps.seen(4);
        assertEquals(4, gaps.contiguous(), "a repeat changes nothing");
    }

    @Test
    void aSnapshotCoversEverythingUpToItsVersion() {
        VersionGaps gaps = new VersionGaps();
        gaps.seen(2);
        gaps.seen(7);
        gaps.reset(5);
        assertEquals(5, gaps.contiguous());
        gaps.seen(6);
        assertEquals(7, gaps.contiguous(), "7, seen before the snapshot, still counts");
    }

    @Test
    void aViewTakesOnlyNewerChangesPerSeat() {
        SeatMap view = new SeatMap(8);
        assertNotNull(view.apply(new SeatChange("C7", State.HELD, "me", 1000, 3, "held"), 0));
        assertNull(view.apply(new SeatChange("C7", State.FREE, null, 0, 2, "released"), 0),
                "an older change arriving late does not undo a newer one");
        assertNull(view.apply(new SeatChange("C7", State.HELD, "me", 1000, 3, "held"), 0), "nor does a repeat");
        assertEquals(1_000_000_000L, view.seat("C7").expiresAt, "the hold's time left, from when it arrived");
        assertNotNull(view.apply(new SeatChange("C7", State.SOLD, "me", 0, 4, "sold"), 0));
        assertEquals(State.SOLD, view.seat("C7").state);
    }

    @Test
    void aResetReplacesTheViewAndIgnoresWhatItAlreadyHolds() {
        SeatMap view = new SeatMap(8);
        view.apply(new SeatChange("A1", State.HELD, "me", 1000, 1, "held"), 0);
        view.reset(10, List.of(new SeatChange("B2", State.SOLD, "you", 0, 9, "sold")), 0);
        assertEquals(State.FREE, view.seat("A1").state, "not in the snapshot: free");
        assertEquals("you", view.seat("B2").owner);
        assertNull(view.apply(new SeatChange("A1", State.HELD, "me", 1000, 8, "held"), 0),
                "a change older than the snapshot is already in it");
        assertNotNull(view.apply(new SeatChange("A1", State.HELD, "them", 1000, 11, "held"), 0));
    }
}
