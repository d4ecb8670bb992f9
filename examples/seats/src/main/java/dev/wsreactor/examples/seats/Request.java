package dev.wsreactor.examples.seats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client's request: {@code {"type":"hold"|"release"|"confirm","seat":"C7"}}. Other members are ignored, so
 * a page may add its own (a request id, say) without breaking anything.
 */
record Request(String type, String seat) {

    /** Deeper nesting is refused before it is built, so a hostile message cannot cost much; no request needs any. */
    static final int MAX_DEPTH = 16;

    /** Strict JSON (RFC 8259): nothing after the value, no comments, no single quotes, no NaN. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The message is not a request; the message says why, for the error sent back. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static Request parse(String text) throws Invalid {
        JsonNode value;
        try {
            value = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid("malformed JSON: " + e.getOriginalMessage());
        }
        if (value == null || !value.isObject()) {
            throw new Invalid("a request is a JSON object");
        }
        JsonNode type = value.get("type");
        if (type == null || !type.isTextual()) {
            throw new Invalid("a request needs a \"type\" string");
        }
        if (!type.asText().equals("hold") && !type.asText().equals("release") && !type.asText().equals("confirm")) {
            throw new Invalid("unknown request type (hold, release or confirm)");
        }
        JsonNode seat = value.get("seat");
        if (seat == null || !seat.isTextual()) {
            throw new Invalid("a " + type.asText() + " request needs a \"seat\" string, like \"C7\"");
        }
        return new Request(type.asText(), seat.asText());
    }
}
