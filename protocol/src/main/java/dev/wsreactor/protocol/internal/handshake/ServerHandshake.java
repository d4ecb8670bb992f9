package dev.wsreactor.protocol.internal.handshake;

import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpHeadParser;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpStatus;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import dev.wsreactor.protocol.handshake.HttpField;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2) as a sans-I/O object: feed it the bytes of the
 * client's request as they arrive; it answers with an outcome that carries the response to send.
 *
 * <p>The checks run in a fixed order, and each refusal names its reason, so a client author can tell what is wrong.
 */
public final class ServerHandshake {

    /** What {@link #feed} decided. */
    public sealed interface Outcome permits NeedMore, Accepted, Rejected, NotWebSocket {
    }

    /** The request head is not complete yet. */
    public record NeedMore() implements Outcome {
        static final NeedMore INSTANCE = new NeedMore();
    }

    /**
     * The handshake succeeded (§4.2.2).
     *
     * @param subprotocol the chosen subprotocol, or {@code null}
     * @param extensionOffers what the client offered, parsed (§9.1)
     * @param acceptedExtensions what the server accepted, in the response
     * @param accept the {@code Sec-WebSocket-Accept} value (§4.2.2 item 5.4)
     */
    public record Accepted(HttpRequest request, String subprotocol, List<ExtensionOffer> extensionOffers,
            List<ExtensionOffer> acceptedExtensions, String accept) implements Outcome {

        /**
         * The 101 response, ready to write.
         *
         * @return its bytes
         */
        public ByteBuffer response() {
            return response(List.of());
        }

        /**
         * The 101 response with the application's extra headers after the handshake's own, ready to write.
         *
         * @param extraHeaders what the application adds (a {@code Set-Cookie}, say)
         * @return its bytes
         */
        public ByteBuffer response(List<HttpField> extraHeaders) {
            String extensions = null;
            if (!acceptedExtensions.isEmpty()) {
                StringBuilder value = new StringBuilder();
                for (ExtensionOffer extension : acceptedExtensions) {
                    value.append(value.length() == 0 ? "" : ", ").append(extension.toHeaderValue());
                }
                extensions = value.toString();
            }
            return SwitchingProtocols.encode(accept, subprotocol, extensions, extraHeaders);
        }
    }

    /** The handshake is refused; {@code response} is the complete HTTP error response, ready to write. */
    public record Rejected(int status, String reason, ByteBuffer response) implements Outcome {
    }

    /** A well-formed HTTP request that does not ask for WebSocket at all: for a plain HTTP handler, or a 426. */
    public record NotWebSocket(HttpRequest request) implements Outcome {
    }

    private final ServerHandshakeConfig config;
    private final HttpHeadParser parser;

    public ServerHandshake(ServerHandshakeConfig config) {
        this.config = config;
        this.parser = new HttpHeadParser(config.maxHeadBytes());
    }

    /** Consumes request bytes from {@code in}; bytes after the request head are left there. */
    public Outcome feed(ByteBuffer in) {
        switch (parser.feed(in)) {
            case NEED_MORE:
                return NeedMore.INSTANCE;
            case TOO_LARGE:
                return reject(HandshakeRejection.of(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, parser.failureReason()));
            case MALFORMED:
                return reject(HandshakeRejection.of(HttpStatus.BAD_REQUEST, parser.failureReason()));
            case COMPLETE:
            default:
                break;
        }
        HttpRequest request = parser.request();
        if (request == null) {
            return reject(HandshakeRejection.of(HttpStatus.BAD_REQUEST, parser.failureReason()));
        }
        if (!request.headers().containsToken("Upgrade", "websocket")) {
            return new NotWebSocket(request);
        }
        String key = request.headers().first("Sec-WebSocket-Key"); // read once, for the check and the answer
        HandshakeRejection problem = check(request, key);
        if (problem == null) {
            problem = config.policy().check(request);
        }
        return problem != null ? reject(problem) : accept(request, key);
    }

    /** The checks of §4.2.1, in order. */
    private static HandshakeRejection check(HttpRequest request, String key) {
        HttpHeaders headers = request.headers();
        if (!request.method().equals("GET")) {
            // §4.1: "The method of the request MUST be GET".
            return new HandshakeRejection(HttpStatus.METHOD_NOT_ALLOWED, "a WebSocket handshake must use GET",
                    HttpHeaders.of("Allow", "GET"));
        }
        if (!request.versionAtLeast(1, 1)) {
            return HandshakeRejection.of(HttpStatus.BAD_REQUEST, "a WebSocket handshake needs HTTP/1.1 or later");
        }
        if (headers.count("Host") != 1) {
            // §4.2.1 item 2; RFC 9112 §3.2: 400 for a request without a Host or with more than one.
            return HandshakeRejection.of(HttpStatus.BAD_REQUEST, "missing or repeated Host header");
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            return HandshakeRejection.of(HttpStatus.BAD_REQUEST, "Connection header lacks the upgrade token"); // item 4
        }
        if (key == null) {
            return HandshakeRejection.of(HttpStatus.BAD_REQUEST, "missing Sec-WebSocket-Key header"); // item 5
        }
        if (headers.count("Sec-WebSocket-Key") > 1) {
            return HandshakeRejection.of(HttpStatus.BAD_REQUEST, "duplicate Sec-WebSocket-Key"); // item 5: one key
        }
        if (!WebSocketAccept.isValidKey(key)) {
            return HandshakeRejection.of(HttpStatus.BAD_REQUEST, "Sec-WebSocket-Key is not base64 of 16 bytes");
        }
        if (headers.count("Sec-WebSocket-Version") != 1 || !"13".equals(headers.first("Sec-WebSocket-Version"))) {
            // §4.4: answer with the versions we do speak.
            return new HandshakeRejection(HttpStatus.UPGRADE_REQUIRED, "unsupported WebSocket version; this server speaks 13",
                    HttpHeaders.of("Sec-WebSocket-Version", "13"));
        }
        return null;
    }

    private Outcome accept(HttpRequest request, String key) {
        HttpHeaders headers = request.headers();
        String subprotocol = config.subprotocols().isEmpty() ? null
                : chooseSubprotocol(headers.tokens("Sec-WebSocket-Protocol"));
        List<ExtensionOffer> offers = headers.count("Sec-WebSocket-Extensions") == 0 ? List.of()
                : ExtensionOffer.parseAll(headers.all("Sec-WebSocket-Extensions"));
        List<ExtensionOffer> accepted = config.extensions().apply(offers);
        return new Accepted(request, subprotocol, offers, accepted, WebSocketAccept.compute(key));
    }

    /** §4.2.2: the server picks one of the client's subprotocols, here by the server's own preference. */
    private String chooseSubprotocol(List<String> offered) {
        for (String mine : config.subprotocols()) {
            if (offered.contains(mine)) {
                return mine;
            }
        }
        return null;
    }

    private static Rejected reject(HandshakeRejection rejection) {
        return new Rejected(rejection.status(), rejection.reason(), rejection.toResponse().encode());
    }
}
