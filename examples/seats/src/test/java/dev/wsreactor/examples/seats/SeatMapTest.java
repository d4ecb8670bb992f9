package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.examples.seats.SeatMap.Rejected;
import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.examples.seats.SeatMap.State;
import org.junit.jupiter.api.Test;

/** The rules alone, without a server: hold, release, confirm, expire, limits. */
class SeatMapTest {

    private final SeatMap map = new SeatMap(2);

    @Test
    void hasTenRowsOfSixteen() {
        assertNotNull(map.seat("A1"));
        assertNotNull(map.seat("J16"));
        assertNull(map.seat("K1"));
        assertNull(map.seat("A17"));
        assertNull(map.seat("A0"));
        assertNull(map.seat("A01"));
        assertTrue(map.taken().isEmpty());
    }

    @Test
    void holdReleaseConfirm() throws Exception {
        Seat seat = map.hold("C7", "me", 0, 100);
        assertEquals(State.HELD, seat.state);
        assertEquals(100, seat.expiresAt);
        assertThrows(Rejected.class, () -> map.hold("C7", "you", 0, 100));
        assertThrows(Rejected.class, () -> map.release("C7", "you"));
        assertThrows(Rejected.class, () -> map.confirm("C7", "you"));
        map.release("C7", "me");
        assertEquals(State.FREE, seat.state);
        assertThrows(Rejected.class, () -> map.release("C7", "me"));
        map.hold("C7", "you", 0, 100);
        map.confirm("C7", "you");
        assertEquals(State.SOLD, seat.state);
        assertThrows(Rejected.class, () -> map.release("C7", "you"));
        assertThrows(Rejected.class, () -> map.hold("C7", "me", 0, 100));
        assertTrue(map.ownsAny("you"));
        assertFalse(map.ownsAny("me"));
    }

    @Test
    void expiryOnlyFreesTheHoldItWasSetFor() throws Exception {
        long first = map.hold("A1", "me", 0, 100).version;
        map.release("A1", "me");
        long second = map.hold("A1", "you", 0, 100).version;
        assertNull(map.expire("A1", first), "an old timer does not free a newer hold");
        assertEquals("you", map.seat("A1").owner);
        assertNotNull(map.expire("A1", second));
        assertEquals(State.FREE, map.seat("A1").state);
        assertNull(map.expire("A1", second), "only once");

        long third = map.hold("A2", "me", 0, 100).version;
        map.confirm("A2", "me");
        assertNull(map.expire("A2", third), "a sale does not expire");
    }

    @Test
    void limitsHoldsPerClient() throws Exception {
        map.hold("A1", "me", 0, 100);
        map.hold("A2", "me", 0, 100);
        assertThrows(Rejected.class, () -> map.hold("A3", "me", 0, 100));
        map.confirm("A1", "me");
        map.hold("A3", "me", 0, 100); // sold seats do not count
        assertEquals(2, map.holdsOf("me"));
    }

    @Test
    void unknownSeatNamesAreRefusedAndNotEchoedAtLength() {
        Rejected e = assertThrows(Rejected.class, () -> map.hold("Z".repeat(1000), "me", 0, 100));
        assertTrue(e.getMessage().length() < 100, e.getMessage());
    }
}
