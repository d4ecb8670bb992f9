package dev.wsreactor.protocol.handshake;

/**
 * Why an opening handshake is refused: an HTTP status, a short reason sent as the body, and any extra headers
 * (for example {@code Allow: GET} with 405, or {@code Sec-WebSocket-Version: 13} with 426).
 */
public record HandshakeRejection(int status, String reason, HttpHeaders extraHeaders) {

    public static HandshakeRejection of(int status, String reason) {
        return new HandshakeRejection(status, reason, new HttpHeaders());
    }

    /** The response to send: plain text, the reason as its body, the connection closed after it. */
    public HttpResponse toResponse() {
        HttpResponse response = HttpResponse.text(status, reason);
        for (HttpField field : extraHeaders.fields()) {
            response.headers().add(field.name(), field.value());
        }
        return response;
    }
}
