package dev.wsreactor.protocol.internal.handshake;

import dev.wsreactor.protocol.handshake.HttpField;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The 101 response of an accepted handshake (RFC 6455 §4.2.2), written into one array sized first: the fixed
 * head as constant bytes, no header objects, once per connection.
 */
final class SwitchingProtocols {

    private static final byte[] HEAD = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: ");
    private static final String PROTOCOL = "Sec-WebSocket-Protocol";
    private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

    private SwitchingProtocols() {
    }

    /** The handshake's own fields, then {@code subprotocol}'s and {@code extensions}' unless null, then the extra. */
    static ByteBuffer encode(String accept, String subprotocol, String extensions, List<HttpField> extra) {
        int size = HEAD.length + accept.length() + 2 + fieldSize(PROTOCOL, subprotocol)
                + fieldSize(EXTENSIONS, extensions) + 2;
        for (HttpField field : extra) {
            size += fieldSize(field.name(), field.value());
        }
        byte[] out = new byte[size];
        System.arraycopy(HEAD, 0, out, 0, HEAD.length);
        int at = put(out, HEAD.length, accept);
        at = put(out, at, "\r\n");
        at = field(out, at, PROTOCOL, subprotocol);
        at = field(out, at, EXTENSIONS, extensions);
        for (HttpField field : extra) {
            at = field(out, at, field.name(), field.value());
        }
        put(out, at, "\r\n");
        return ByteBuffer.wrap(out);
    }

    private static int fieldSize(String name, String value) {
        return value == null ? 0 : name.length() + 2 + value.length() + 2;
    }

    private static int field(byte[] out, int at, String name, String value) {
        if (value == null) {
            return at;
        }
        at = put(out, at, name);
        at = put(out, at, ": ");
        at = put(out, at, value);
        return put(out, at, "\r\n");
    }

    /** Writes {@code text} as ISO-8859-1, a character outside it as '?' (as {@code HttpResponse.encode} does). */
    private static int put(byte[] out, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out[at++] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        return at;
    }

    private static byte[] bytes(String ascii) {
        byte[] out = new byte[ascii.length()];
        put(out, 0, ascii);
        return out;
    }
}
