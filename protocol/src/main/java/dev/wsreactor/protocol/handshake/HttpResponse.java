package dev.wsreactor.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 response to send: the status line, header fields and an optional body.
 *
 * @param status the HTTP status
 * @param reason the reason phrase
 * @param headers the header fields
 * @param body the body, or {@code null} for none (then no {@code Content-Length} is written)
 */
public record HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {

    /**
     * {@return a plain-text response that closes the connection; the body is the message and a newline}
     *
     * @param status the HTTP status
     * @param message the body's text
     */
    public static HttpResponse text(int status, String message) {
        HttpHeaders headers = HttpHeaders.of("Content-Type", "text/plain; charset=utf-8", "Connection", "close");
        return new HttpResponse(status, HttpStatus.reasonPhrase(status), headers,
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@return 426, for a request that is not a WebSocket upgrade on a WebSocket-only endpoint (RFC 9110 §15.5.22)} */
    public static HttpResponse upgradeRequired() {
        HttpResponse response = text(HttpStatus.UPGRADE_REQUIRED, "this endpoint only speaks WebSocket");
        response.headers().add("Upgrade", "websocket").add("Sec-WebSocket-Version", "13");
        return response;
    }

    /**
     * {@return the response as bytes ready to write: one array, sized first (every character is one ISO-8859-1 byte)}
     */
    public ByteBuffer encode() {
        String statusText = Integer.toString(status);
        int size = "HTTP/1.1 ".length() + statusText.length() + 1 + reason.length() + 2 + 2;
        for (HttpField field : headers.fields()) {
            size += field.name().length() + 2 + field.value().length() + 2;
        }
        String contentLength = body == null ? null : Integer.toString(body.length);
        if (body != null) {
            size += "Content-Length: ".length() + contentLength.length() + 2 + body.length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, "HTTP/1.1 ");
        at = put(out, at, statusText);
        at = put(out, at, " ");
        at = put(out, at, reason);
        at = put(out, at, "\r\n");
        for (HttpField field : headers.fields()) {
            at = put(out, at, field.name());
            at = put(out, at, ": ");
            at = put(out, at, field.value());
            at = put(out, at, "\r\n");
        }
        if (body != null) {
            at = put(out, at, "Content-Length: ");
            at = put(out, at, contentLength);
            at = put(out, at, "\r\n");
        }
        at = put(out, at, "\r\n");
        if (body != null) {
            System.arraycopy(body, 0, out, at, body.length);
        }
        return ByteBuffer.wrap(out);
    }

    /** Writes {@code text} as ISO-8859-1 (a character outside it becomes '?', as {@code getBytes} would write). */
    private static int put(byte[] out, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out[at++] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        return at;
    }
}
