package dev.wsreactor.examples.seats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.examples.seats.SeatMap.State;
import java.util.concurrent.TimeUnit;

/** The server's messages, written as JSON text. The protocol is described in the module's README. */
final class Messages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Messages() {
    }

    /** Everything a page needs to draw the map from scratch; sent first on every connection. */
    static String snapshot(String you, String token, int watchers, long holdMillis, SeatMap map, long now) {
        ObjectNode out = NODES.objectNode().put("type", "snapshot").put("you", you).put("token", token)
                .put("rows", SeatMap.ROWS).put("seatsPerRow", SeatMap.SEATS_PER_ROW).put("holdMs", holdMillis)
                .put("watchers", watchers);
        ArrayNode seats = out.putArray("seats");
        for (Seat seat : map.taken()) {
            seatFields(seat, now, seats.addObject());
        }
        return out.toString();
    }

    /** One seat changed; broadcast to every page. */
    static String seatChanged(Seat seat, String cause, long now) {
        ObjectNode out = NODES.objectNode().put("type", "seat-changed").put("cause", cause);
        seatFields(seat, now, out);
        return out.toString();
    }

    static String watchers(int count) {
        return NODES.objectNode().put("type", "watchers").put("count", count).toString();
    }

    /** A refusal, to the one client that asked; {@code seat} may be null. */
    static String error(String message, String seat) {
        ObjectNode out = NODES.objectNode().put("type", "error").put("message", message);
        if (seat != null) {
            out.put("seat", seat);
        }
        return out.toString();
    }

    /** The members that describe a seat: seat, state, owner, expiresInMs. */
    private static void seatFields(Seat seat, long now, ObjectNode out) {
        out.put("seat", seat.name).put("state", seat.state.wireName());
        if (seat.state != State.FREE) {
            out.put("owner", seat.owner);
        }
        if (seat.state == State.HELD) {
            // Relative, so the page needs no clock in common with the server.
            out.put("expiresInMs", Math.max(0, TimeUnit.NANOSECONDS.toMillis(seat.expiresAt - now)));
        }
    }
}
