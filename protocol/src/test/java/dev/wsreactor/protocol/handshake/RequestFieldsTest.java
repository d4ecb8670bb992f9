package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** HttpRequest's query parameters, cookies and split header values. */
class RequestFieldsTest {

    private static HttpRequest request(String target, String... headerPairs) {
        return new HttpRequest("GET", target, 1, 1, HttpHeaders.of(headerPairs));
    }

    @Test
    void queryParametersAreDecodedInOrderWithRepeatedNamesKept() {
        HttpRequest request = request("/chat/blue?token=a%2Fb&tag=x&tag=y+z&empty=&alone&=v&%C3%A9t%C3%A9=%E2%82%AC");
        assertEquals(Map.of("token", List.of("a/b"), "tag", List.of("x", "y z"), "empty", List.of(""),
                "alone", List.of(""), "", List.of("v"), "été", List.of("€")), request.queryParameters());
        assertEquals(List.of("token", "tag", "empty", "alone", "", "été"),
                List.copyOf(request.queryParameters().keySet()));
        assertEquals("x", request.queryParameter("tag"));
        assertNull(request.queryParameter("missing"));
        assertEquals(Map.of(), request("/chat").queryParameters());
        assertEquals(Map.of(), request("/chat?").queryParameters());
        assertEquals(Map.of("a", List.of("1")), request("/?&&a=1&").queryParameters());
    }

    @Test
    void malformedPercentEncodingIsKeptRaw() {
        HttpRequest request = request("/?bad=%zz&cut=50%&short=%4&notutf8=%C3%28&ok=%41");
        assertEquals("%zz", request.queryParameter("bad"));
        assertEquals("50%", request.queryParameter("cut"));
        assertEquals("%4", request.queryParameter("short"));
        assertEquals("%C3%28", request.queryParameter("notutf8"), "decodes to bytes that are not UTF-8");
        assertEquals("A", request.queryParameter("ok"));
        assertEquals("1", request("/?a%zz=1").queryParameter("a%zz"), "a name too");
    }

    @Test
    void cookiesFollowRfc6265AcrossSeveralCookieFields() {
        HttpRequest request = request("/", "Cookie", "session=abc; theme=\"dark\" ;  lang = en",
                "Cookie", "session=older; novalue; =nameless; flag=", "X-Other", "session=no");
        assertEquals(Map.of("session", "abc", "theme", "dark", "lang", "en", "flag", ""), request.cookies());
        assertEquals(List.of("session", "theme", "lang", "flag"), List.copyOf(request.cookies().keySet()));
        assertEquals(Map.of(), request("/").cookies());
        assertEquals(Map.of("a", "b=c"), request("/", "Cookie", "a=b=c").cookies(), "split at the first '='");
    }

    @Test
    void headersSplitListsButNotFieldsWithCommasOfTheirOwn() {
        HttpRequest request = request("/", "X-Forwarded-For", "10.0.0.1, 10.0.0.2", "x-forwarded-for", "10.0.0.3",
                "Accept", "text/plain;q=\"a,b\", , */*", "User-Agent", "Mozilla/5.0 (KHTML, like Gecko)",
                "If-Modified-Since", "Sat, 29 Oct 1994 19:43:31 GMT", "Cookie", "a=1, b=2");
        assertEquals(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), request.headers("X-Forwarded-For"));
        assertEquals(List.of("text/plain;q=\"a,b\"", "*/*"), request.headers("accept"), "commas in quotes stay");
        assertEquals(List.of("Mozilla/5.0 (KHTML, like Gecko)"), request.headers("User-Agent"));
        assertEquals(List.of("Sat, 29 Oct 1994 19:43:31 GMT"), request.headers("If-Modified-Since"));
        assertEquals(List.of("a=1, b=2"), request.headers("Cookie"));
        assertEquals(List.of(), request.headers("Missing"));
    }

    @Test
    void aQuotedPairIsOneCharacterEvenAnEscapedBackslashBeforeTheClosingQuote() {
        HttpRequest request = request("/", "Accept", "a;q=\"x\\\\\", b;q=\"say \\\"hi, there\\\"\", c");
        assertEquals(List.of("a;q=\"x\\\\\"", "b;q=\"say \\\"hi, there\\\"\"", "c"), request.headers("Accept"));
    }

    @Property
    void anyEncodedValueDecodesBackToItself(@ForAll String value) {
        String encoded = java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
        if (value.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
            assertEquals(value, request("/?v=" + encoded).queryParameter("v"));
        }
    }
}
