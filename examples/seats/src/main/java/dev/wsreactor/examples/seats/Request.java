package dev.wsreactor.examples.seats;

import java.util.Map;

/**
 * A client's request: {@code {"type":"hold"|"release"|"confirm","seat":"C7"}}. Other members are ignored, so
 * a page may add its own (a request id, say) without breaking anything.
 */
record Request(String type, String seat) {

    /** The message is not a request; the message says why, for the error sent back. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static Request parse(String text) throws Invalid {
        Object value;
        try {
            value = Json.parse(text);
        } catch (Json.ParseException e) {
            throw new Invalid(e.getMessage());
        }
        if (!(value instanceof Map<?, ?> object)) {
            throw new Invalid("a request is a JSON object");
        }
        if (!(object.get("type") instanceof String type)) {
            throw new Invalid("a request needs a \"type\" string");
        }
        if (!type.equals("hold") && !type.equals("release") && !type.equals("confirm")) {
            throw new Invalid("unknown request type (hold, release or confirm)");
        }
        if (!(object.get("seat") instanceof String seat)) {
            throw new Invalid("a " + type + " request needs a \"seat\" string, like \"C7\"");
        }
        return new Request(type, seat);
    }
}
