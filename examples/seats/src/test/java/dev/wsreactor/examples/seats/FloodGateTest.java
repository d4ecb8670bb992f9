package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FloodGateTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void admitsTheLimitInAnySecondAndNoMore() {
        FloodGate gate = new FloodGate(50);
        long t = 1_000_000 * MS;
        for (int i = 0; i < 50; i++) {
            assertTrue(gate.admit(t + i * MS), "message " + i);
        }
        assertFalse(gate.admit(t + 100 * MS), "the 51st within a second");
        assertFalse(gate.admit(t + 999 * MS));
        assertTrue(gate.admit(t + 1000 * MS), "a second after the first, there is room for one more");
        assertFalse(gate.admit(t + 1000 * MS));
        assertTrue(gate.admit(t + 1001 * MS));
    }

    @Test
    void aSteadyPaceJustUnderTheLimitIsNeverRefused() {
        FloodGate gate = new FloodGate(50);
        for (int i = 0; i < 1000; i++) {
            assertTrue(gate.admit(i * 20 * MS));
        }
    }
}
