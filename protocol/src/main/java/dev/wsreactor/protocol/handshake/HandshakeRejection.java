package dev.wsreactor.protocol.handshake;

/**
 * Why an opening handshake is refused: an HTTP status, a short reason sent as the body, and any extra headers
 * (for example {@code Allow: GET} with 405, or {@code Sec-WebSocket-Version: 13} with 426).
 *
 * @param status the HTTP status
 * @param reason the short reason sent as the body
 * @param extraHeaders header fields to send besides the usual ones
 */
public record HandshakeRejection(int status, String reason, HttpHeaders extraHeaders) {

    /**
     * {@return a rejection without extra headers}
     *
     * @param status the HTTP status
     * @param reason the short reason sent as the body
     */
    public static HandshakeRejection of(int status, String reason) {
        return new HandshakeRejection(status, reason, new HttpHeaders());
    }

    /** {@return the response to send: plain text, the reason as its body, the connection closed after it} */
    public HttpResponse toResponse() {
        HttpResponse response = HttpResponse.text(status, reason);
        for (HttpField field : extraHeaders.fields()) {
            response.headers().add(field.name(), field.value());
        }
        return response;
    }
}
