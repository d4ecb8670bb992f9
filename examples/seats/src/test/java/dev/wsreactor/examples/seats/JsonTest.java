package dev.wsreactor.examples.seats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\\"\\u00e9\\n\"}} ");
        assertEquals(Map.of("a", java.util.Arrays.asList(1.0, -2500.0, true, false, null),
                "b", Map.of("c", "x\"é\n")), value);
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(Map.of(), Json.parse("{}"));
        assertNull(Json.parse("null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "-", "1.", "1e", "\"abc",
            "\"\\x\"", "\"\\u12\"", "tru", "{} {}", "{'a':1}", "\"tab\there\"", "NaN"})
    void rejectsWhatIsNotJson(String text) {
        assertThrows(Json.ParseException.class, () -> Json.parse(text));
    }

    @Test
    void refusesDeepNesting() throws Exception {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertThrows(Json.ParseException.class, () -> Json.parse(deep));
        assertThrows(Json.ParseException.class, () -> Json.parse("[".repeat(100_000)));
    }

    @Test
    void quotesWhatNeedsQuoting() throws Exception {
        String nasty = "a\"b\\c\nd\u0001e\u2028f";
        String quoted = Json.quote(nasty);
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001e\\u2028f\"", quoted);
        assertEquals(nasty, Json.parse(quoted));
    }
}
