package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 response read strictly from its bytes, independently of the code under test: a status line, header
 * lines of the form {@code Name: value}, CRLF line ends, the empty line, and a body exactly Content-Length long.
 */
record ParsedResponse(int status, String reason, List<String[]> headers, byte[] body) {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ([\\x20-\\x7E]+)");
    private static final Pattern HEADER_LINE = Pattern.compile("([!#$%&'*+\\-.^_`|~0-9A-Za-z]+): ([\\x20-\\x7E]*)");

    /** Parses the remaining bytes of {@code buffer} without consuming them; fails the test if they are not well formed. */
    static ParsedResponse parse(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            fail("no end of head in " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n", -1);
        for (String line : lines) {
            assertTrue(line.indexOf('\n') < 0 && line.indexOf('\r') < 0, "bare CR or LF in " + line);
        }
        Matcher status = STATUS_LINE.matcher(lines[0]);
        assertTrue(status.matches(), "malformed status line: " + lines[0]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher header = HEADER_LINE.matcher(lines[i]);
            assertTrue(header.matches(), "malformed header line: " + lines[i]);
            headers.add(new String[] {header.group(1), header.group(2)});
        }
        int bodyStart = end + 4;
        byte[] body = new byte[bytes.length - bodyStart];
        System.arraycopy(bytes, bodyStart, body, 0, body.length);
        ParsedResponse response = new ParsedResponse(Integer.parseInt(status.group(1)), status.group(2), headers, body);
        List<String> lengths = response.all("Content-Length");
        if (lengths.isEmpty()) {
            assertEquals(0, body.length, "a body without Content-Length");
        } else {
            assertEquals(1, lengths.size(), "one Content-Length");
            assertEquals(body.length, Integer.parseInt(lengths.get(0)), "Content-Length matches the body");
        }
        return response;
    }

    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                values.add(header[1]);
            }
        }
        return values;
    }

    /** The single value of this header; fails if it is absent or repeated. */
    String only(String name) {
        List<String> values = all(name);
        assertEquals(1, values.size(), "exactly one " + name + " header, got " + values);
        return values.get(0);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
