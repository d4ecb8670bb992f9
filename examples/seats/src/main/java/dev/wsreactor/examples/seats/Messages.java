package dev.wsreactor.examples.seats;

import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.examples.seats.SeatMap.State;
import java.util.concurrent.TimeUnit;

/** The server's messages, written as JSON text. The protocol is described in the module's README. */
final class Messages {

    private Messages() {
    }

    /** Everything a page needs to draw the map from scratch; sent first on every connection. */
    static String snapshot(String you, String token, int watchers, long holdMillis, SeatMap map, long now) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"snapshot\",\"you\":");
        Json.quote(you, out);
        out.append(",\"token\":");
        Json.quote(token, out);
        out.append(",\"rows\":").append(SeatMap.ROWS)
                .append(",\"seatsPerRow\":").append(SeatMap.SEATS_PER_ROW)
                .append(",\"holdMs\":").append(holdMillis)
                .append(",\"watchers\":").append(watchers)
                .append(",\"seats\":[");
        boolean first = true;
        for (Seat seat : map.taken()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('{');
            seatFields(seat, now, out);
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /** One seat changed; broadcast to every page. */
    static String seatChanged(Seat seat, String cause, long now) {
        StringBuilder out = new StringBuilder(128);
        out.append("{\"type\":\"seat-changed\",\"cause\":");
        Json.quote(cause, out);
        out.append(',');
        seatFields(seat, now, out);
        return out.append('}').toString();
    }

    static String watchers(int count) {
        return "{\"type\":\"watchers\",\"count\":" + count + "}";
    }

    /** A refusal, to the one client that asked; {@code seat} may be null. */
    static String error(String message, String seat) {
        StringBuilder out = new StringBuilder(96);
        out.append("{\"type\":\"error\",\"message\":");
        Json.quote(message, out);
        if (seat != null) {
            out.append(",\"seat\":");
            Json.quote(seat, out);
        }
        return out.append('}').toString();
    }

    /** The members that describe a seat, without braces: seat, state, owner, expiresInMs. */
    private static void seatFields(Seat seat, long now, StringBuilder out) {
        out.append("\"seat\":");
        Json.quote(seat.name, out);
        out.append(",\"state\":\"").append(seat.state.wireName()).append('"');
        if (seat.state != State.FREE) {
            out.append(",\"owner\":");
            Json.quote(seat.owner, out);
        }
        if (seat.state == State.HELD) {
            // Relative, so the page needs no clock in common with the server.
            out.append(",\"expiresInMs\":").append(Math.max(0, TimeUnit.NANOSECONDS.toMillis(seat.expiresAt - now)));
        }
    }
}
