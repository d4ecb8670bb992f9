package dev.wsreactor.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 response to send: the status line, header fields and an optional body.
 *
 * @param body the body, or {@code null} for none (then no {@code Content-Length} is written)
 */
public record HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {

    /** A plain-text response that closes the connection; the body is the message and a newline. */
    public static HttpResponse text(int status, String message) {
        HttpHeaders headers = HttpHeaders.of("Content-Type", "text/plain; charset=utf-8", "Connection", "close");
        return new HttpResponse(status, HttpStatus.reasonPhrase(status), headers,
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** 426 for a request that is not a WebSocket upgrade on a WebSocket-only endpoint (RFC 9110 §15.5.22). */
    public static HttpResponse upgradeRequired() {
        HttpResponse response = text(HttpStatus.UPGRADE_REQUIRED, "this endpoint only speaks WebSocket");
        response.headers().add("Upgrade", "websocket").add("Sec-WebSocket-Version", "13");
        return response;
    }

    /** The response as bytes ready to write. */
    public ByteBuffer encode() {
        StringBuilder head = new StringBuilder(128);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (HttpField field : headers.fields()) {
            head.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + (body == null ? 0 : body.length));
        out.put(headBytes);
        if (body != null) {
            out.put(body);
        }
        return out.flip();
    }
}
