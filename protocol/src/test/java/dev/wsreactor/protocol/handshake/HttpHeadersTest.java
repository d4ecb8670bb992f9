package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers parsed from the wire are kept as line starts in one string; they must read exactly as added ones do. */
class HttpHeadersTest {

    private static HttpHeaders parse(String head) {
        HttpHeadParser parser = new HttpHeadParser(8192);
        assertEquals(HttpHeadParser.Status.COMPLETE,
                parser.feed(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1))));
        return parser.headers();
    }

    private static final String HEAD = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "upgrade:websocket   \r\n"
            + "X-List: a\r\n"
            + "x-list: b, c\r\n"
            + "Empty:\r\n"
            + "X-Tail: z, websocket\r\n"
            + "\r\n";

    @Test
    void rfc9110_5_1_namesCompareCaseInsensitivelyAndValuesAreTrimmed() {
        HttpHeaders headers = parse(HEAD);
        assertEquals("server.example.com", headers.first("HOST"));
        assertEquals("websocket", headers.first("Upgrade"));
        assertEquals("", headers.first("empty"));
        assertNull(headers.first("Hos"));
        assertEquals(7, headers.size());
    }

    @Test
    void rfc9110_5_3_repeatedFieldsKeepTheirOrder() {
        HttpHeaders headers = parse(HEAD);
        assertEquals(2, headers.count("X-List"));
        assertEquals(List.of("a", "b, c"), headers.all("x-LIST"));
    }

    @Test
    void rfc9110_5_6_1_tokensAreFoundInsideTheirOwnValueOnly() {
        HttpHeaders headers = parse(HEAD);
        assertTrue(headers.containsToken("connection", "upgrade"));
        assertTrue(headers.containsToken("Connection", "KEEP-ALIVE"));
        assertTrue(headers.containsToken("X-List", "c"));
        // The head ends in ", websocket": the search in Connection's value must stop at that value's end.
        assertFalse(headers.containsToken("Connection", "websocket"));
        assertFalse(headers.containsToken("Connection", "keep"));
        assertFalse(headers.containsToken("Empty", "a"));
    }

    @Test
    void addedFieldsFollowTheParsedOnes() {
        HttpHeaders headers = parse(HEAD).add("Connection", "close");
        assertEquals(8, headers.size());
        assertEquals(2, headers.count("connection"));
        assertTrue(headers.containsToken("Connection", "close"));
        assertEquals(new HttpField("Connection", "close"), headers.fields().get(7));
        assertEquals(new HttpField("upgrade", "websocket"), headers.fields().get(2));
        assertTrue(headers.toString().startsWith("Host: server.example.com\r\nConnection: keep-alive, Upgrade\r\n"));
        assertTrue(headers.toString().endsWith("Empty: \r\nX-Tail: z, websocket\r\nConnection: close\r\n"));
    }

    @Test
    void rfc9112_5_blankValuesTabsAndBareLineFeedsReadAsTheirTrimmedValues() {
        HttpHeaders headers = parse("GET / HTTP/1.1\nBlank: \t  \r\nTabbed:\tx\ty\t\nColons: a:b: c\n"
                + "Last:v\r\n\r\n");
        assertEquals("", headers.first("blank"));
        assertEquals("x\ty", headers.first("tabbed"));
        assertEquals("a:b: c", headers.first("colons"));
        assertEquals("v", headers.first("last"));
        assertEquals(List.of(new HttpField("Blank", ""), new HttpField("Tabbed", "x\ty"),
                new HttpField("Colons", "a:b: c"), new HttpField("Last", "v")), headers.fields());
        assertTrue(headers.containsToken("colons", "A:B: C"));
        assertTrue(headers.containsToken("TABBED", "x\ty"));
    }

    @Test
    void manyFieldsGrowTheBounds() {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 40; i++) {
            head.append("X-").append(i).append(": ").append(i).append("\r\n");
        }
        HttpHeaders headers = parse(head.append("\r\n").toString());
        assertEquals(40, headers.size());
        assertEquals("39", headers.first("x-39"));
        assertEquals("0", headers.first("X-0"));
    }
}
