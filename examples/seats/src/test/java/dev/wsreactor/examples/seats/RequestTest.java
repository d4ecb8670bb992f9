package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seat protocol's JSON: requests read strictly, messages written so any JSON parser reads them back. */
class RequestTest {

    @Test
    void aRequestIsReadAndOtherMembersAreIgnored() throws Exception {
        assertEquals(new Request("hold", "C7"), Request.parse(" {\"type\": \"hold\", \"seat\": \"C7\", \"id\": [1, "
                + "-2.5e3, true, false, null, {\"x\": \"\\u00e9\\n\"}]} "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "-", "1.", "1e", "\"abc",
            "\"\\x\"", "\"\\u12\"", "tru", "{} {}", "{'a':1}", "\"tab\there\"", "NaN", "// c\n{}"})
    void whatIsNotJsonIsRefusedWithAReason(String text) {
        Request.Invalid error = assertThrows(Request.Invalid.class, () -> Request.parse(text));
        assertTrue(error.getMessage().startsWith("malformed JSON") || error.getMessage().equals(
                "a request is a JSON object"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"hold\"", "{\"seat\":\"C7\"}", "{\"type\":7,\"seat\":\"C7\"}",
            "{\"type\":\"sit\",\"seat\":\"C7\"}", "{\"type\":\"hold\"}", "{\"type\":\"hold\",\"seat\":7}"})
    void jsonThatIsNotARequestIsRefused(String text) {
        assertThrows(Request.Invalid.class, () -> Request.parse(text));
    }

    @Test
    void deepNestingIsRefusedBeforeItIsBuilt() throws Exception {
        String ok = "{\"type\":\"hold\",\"seat\":\"C7\",\"x\":" + "[".repeat(Request.MAX_DEPTH - 1)
                + "]".repeat(Request.MAX_DEPTH - 1) + "}";
        assertEquals(new Request("hold", "C7"), Request.parse(ok));
        String deep = "[".repeat(Request.MAX_DEPTH + 1) + "]".repeat(Request.MAX_DEPTH + 1);
        assertThrows(Request.Invalid.class, () -> Request.parse(deep));
        assertThrows(Request.Invalid.class, () -> Request.parse("[".repeat(100_000)));
    }

    @Test
    void messagesQuoteWhatNeedsQuoting() throws Exception {
        String nasty = "a\"b\\c\nd\u0001e\u2028f";
        String error = Messages.error(nasty, "C7");
        assertEquals("{\"type\":\"error\",\"message\":\"a\\\"b\\\\c\\nd\\u0001e\u2028f\",\"seat\":\"C7\"}", error);
        assertEquals(Map.of("type", "error", "message", nasty, "seat", "C7"), new ObjectMapper().readValue(error,
                Map.class));
    }
}
