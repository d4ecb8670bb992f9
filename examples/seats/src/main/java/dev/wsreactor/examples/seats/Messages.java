package dev.wsreactor.examples.seats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wsreactor.examples.seats.SeatMap.Seat;
import dev.wsreactor.examples.seats.SeatMap.State;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The server's messages, written as JSON text. The protocol is described in the module's README. */
final class Messages {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {
    }

    /** Everything a page needs to draw the map from scratch; sent first on every connection. */
    static String snapshot(String you, String token, int watchers, long holdMillis, SeatMap map, long now,
            String node) {
        ObjectNode out = NODES.objectNode().put("type", "snapshot").put("node", node).put("you", you)
                .put("token", token)
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

    /** A change as one node tells the others, on the bus. */
    static String change(SeatChange change, String node) {
        ObjectNode out = NODES.objectNode().put("node", node).put("seat", change.seat())
                .put("state", change.state().wireName()).put("version", change.version())
                .put("cause", change.cause()).put("expiresInMs", change.expiresInMs());
        if (change.owner() != null) {
            out.put("owner", change.owner());
        }
        return out.toString();
    }

    /** A change another node published; throws on anything else. */
    static SeatChange parseChange(byte[] utf8) throws IOException {
        JsonNode in = JSON.readTree(utf8);
        try {
            return new SeatChange(in.get("seat").asText(), State.valueOf(in.get("state").asText().toUpperCase(Locale.ROOT)),
                    in.hasNonNull("owner") ? in.get("owner").asText() : null, in.get("expiresInMs").asLong(),
                    in.get("version").asLong(), in.get("cause").asText());
        } catch (RuntimeException e) {
            throw new IOException("not a seat change: " + in, e);
        }
    }

    /** What {@code GET /stats} answers. */
    static String stats(String node, String store, int watchers, String link, long rebuilds) {
        return NODES.objectNode().put("node", node).put("store", store).put("watchers", watchers)
                .put("store-link", link).put("rebuilds", rebuilds).toString();
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
