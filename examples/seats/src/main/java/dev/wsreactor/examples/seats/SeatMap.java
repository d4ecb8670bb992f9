package dev.wsreactor.examples.seats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seats and who has them: plain data and rules, no threads, no I/O. {@link Booking} owns the only instance
 * and calls it from the reactor thread alone, which is why nothing here is synchronized.
 *
 * <p>Seats are named by row letter and number: {@code A1} to {@code J16}. A seat is free, held by a client until
 * its hold expires, or sold to a client for good.
 */
final class SeatMap {

    static final int ROWS = 10;
    static final int SEATS_PER_ROW = 16;

    enum State {
        FREE, HELD, SOLD;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One seat. Mutable, but only SeatMap changes it. */
    static final class Seat {
        final String name;
        State state = State.FREE;
        /** The owner's public client id when held or sold, else null. */
        String owner;
        /** System.nanoTime() when a hold runs out. */
        long expiresAt;
        /**
         * The map's change count when this seat last changed: an expiry timer set for an older hold does nothing,
         * and a view ignores a change it already has (or a newer one).
         */
        long version;

        private Seat(String name) {
            this.name = name;
        }
    }

    /** A request the rules refuse; the message goes back to the client that asked. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Seat> seats = new LinkedHashMap<>();
    private final int maxHoldsPerClient;
    /** Changes so far; each change's version. */
    private long version;

    SeatMap(int maxHoldsPerClient) {
        this.maxHoldsPerClient = maxHoldsPerClient;
        for (int row = 0; row < ROWS; row++) {
            for (int number = 1; number <= SEATS_PER_ROW; number++) {
                String name = rowName(row) + number;
                seats.put(name, new Seat(name));
            }
        }
    }

    static String rowName(int row) {
        return String.valueOf((char) ('A' + row));
    }

    /** The seat of that exact name ("C7"), or null. */
    Seat seat(String name) {
        return seats.get(name);
    }

    /** Every seat that is not free, in map order. */
    List<Seat> taken() {
        List<Seat> out = new ArrayList<>();
        for (Seat seat : seats.values()) {
            if (seat.state != State.FREE) {
                out.add(seat);
            }
        }
        return out;
    }

    int holdsOf(String owner) {
        int n = 0;
        for (Seat seat : seats.values()) {
            if (seat.state == State.HELD && seat.owner.equals(owner)) {
                n++;
            }
        }
        return n;
    }

    boolean ownsAny(String owner) {
        for (Seat seat : seats.values()) {
            if (seat.state != State.FREE && seat.owner.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    /** Holds a free seat for the owner until {@code now + holdNanos}. */
    Seat hold(String name, String owner, long now, long holdNanos) throws Rejected {
        Seat seat = existing(name);
        switch (seat.state) {
            case SOLD -> throw new Rejected(seat.owner.equals(owner)
                    ? "seat " + name + " is already yours" : "seat " + name + " is sold");
            case HELD -> throw new Rejected(seat.owner.equals(owner)
                    ? "you already hold seat " + name : "seat " + name + " is held by someone else");
            case FREE -> {
                if (holdsOf(owner) >= maxHoldsPerClient) {
                    throw new Rejected("you may hold at most " + maxHoldsPerClient + " seats at a time");
                }
            }
        }
        seat.state = State.HELD;
        seat.owner = owner;
        seat.expiresAt = now + holdNanos;
        seat.version = ++version;
        return seat;
    }

    /** Gives back a seat the owner holds. */
    Seat release(String name, String owner) throws Rejected {
        Seat seat = ownHold(name, owner, "release");
        free(seat);
        return seat;
    }

    /** Turns the owner's hold into a sale. */
    Seat confirm(String name, String owner) throws Rejected {
        Seat seat = ownHold(name, owner, "confirm");
        seat.state = State.SOLD;
        seat.expiresAt = 0;
        seat.version = ++version;
        return seat;
    }

    /**
     * Frees the seat if it is still held under that hold ({@code version}); null if it was released, confirmed
     * or held again since.
     */
    Seat expire(String name, long holdVersion) {
        Seat seat = seats.get(name);
        if (seat == null || seat.state != State.HELD || seat.version != holdVersion) {
            return null;
        }
        free(seat);
        return seat;
    }

    private Seat ownHold(String name, String owner, String verb) throws Rejected {
        Seat seat = existing(name);
        if (seat.state == State.HELD && seat.owner.equals(owner)) {
            return seat;
        }
        String why = switch (seat.state) {
            case FREE -> "it is not held";
            case HELD -> "it is held by someone else";
            case SOLD -> "it is sold";
        };
        throw new Rejected("cannot " + verb + " seat " + name + ": " + why);
    }

    /** Changes so far: the version of the latest. */
    long version() {
        return version;
    }

    /**
     * Takes a change decided elsewhere (by the store every node shares), unless this map already has it or a newer
     * one for that seat: changes may arrive late or twice, and an older one must not undo a newer one.
     *
     * @return the seat, changed; null if the change was not newer
     */
    Seat apply(SeatChange change, long now) {
        Seat seat = seats.get(change.seat());
        if (seat == null || change.version() <= seat.version) {
            return null;
        }
        seat.state = change.state();
        seat.owner = change.state() == State.FREE ? null : change.owner();
        seat.expiresAt = change.state() == State.HELD ? now + change.expiresInMs() * 1_000_000 : 0;
        seat.version = change.version();
        version = Math.max(version, change.version());
        return seat;
    }

    /**
     * Replaces everything with the store's picture as of {@code storeVersion}: every seat not in it is free, and
     * every seat takes that version, since the picture already holds every change up to it.
     */
    void reset(long storeVersion, List<SeatChange> taken, long now) {
        for (Seat seat : seats.values()) {
            free(seat);
            seat.version = 0;
        }
        for (SeatChange change : taken) {
            apply(change, now);
        }
        for (Seat seat : seats.values()) {
            seat.version = storeVersion;
        }
        version = storeVersion;
    }

    /** Throws unless a seat of that name exists. */
    Seat existing(String name) throws Rejected {
        Seat seat = seats.get(name);
        if (seat == null) {
            throw new Rejected("no such seat: " + (name.length() > 8 ? name.substring(0, 8) + "..." : name)
                    + " (rows A-" + rowName(ROWS - 1) + ", seats 1-" + SEATS_PER_ROW + ")");
        }
        return seat;
    }

    private void free(Seat seat) {
        seat.version = ++version;
        seat.state = State.FREE;
        seat.owner = null;
        seat.expiresAt = 0;
    }
}
