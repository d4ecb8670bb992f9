package dev.wsreactor.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds opening-handshake requests: the RFC 6455 §1.3 sample by default, changed one header at a time. */
final class Requests {

    /** The key of RFC 6455 §1.3 and §4.2.2 ("the sample nonce"). */
    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The accept value the RFC derives from {@link #SAMPLE_KEY}. */
    static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private String requestLine = "GET /chat HTTP/1.1";
    private final List<String[]> headers = new ArrayList<>();

    private Requests() {
    }

    /** The §1.3 sample request, reduced to the required headers. */
    static Requests valid() {
        Requests r = new Requests();
        r.add("Host", "server.example.com");
        r.add("Upgrade", "websocket");
        r.add("Connection", "Upgrade");
        r.add("Sec-WebSocket-Key", SAMPLE_KEY);
        r.add("Sec-WebSocket-Version", "13");
        return r;
    }

    Requests requestLine(String line) {
        requestLine = line;
        return this;
    }

    Requests add(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /** Replaces the value of the first header with this name (case-insensitively), or adds it. */
    Requests set(String name, String value) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                header[1] = value;
                return this;
            }
        }
        return add(name, value);
    }

    Requests remove(String name) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return this;
    }

    /** Renames every header with this name (case-insensitively) to {@code newName}, keeping its value. */
    Requests rename(String name, String newName) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                header[0] = newName;
            }
        }
        return this;
    }

    String text() {
        StringBuilder out = new StringBuilder(requestLine).append("\r\n");
        for (String[] header : headers) {
            out.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.ISO_8859_1);
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }

    @Override
    public String toString() {
        return text().replace("\r\n", "\\r\\n");
    }
}
