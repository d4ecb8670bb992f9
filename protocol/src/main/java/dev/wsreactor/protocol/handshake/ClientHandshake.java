package dev.wsreactor.protocol.handshake;

import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The client's side of the opening handshake (RFC 6455 §4.1): builds the request and checks the server's response
 * against every rule of §4.1's last list; a failure names the rule it broke. Redirects are not followed (§4.1
 * allows failing on any status but 101).
 */
public final class ClientHandshake {

    /** What {@link #feed} decided. */
    public sealed interface Outcome permits NeedMore, Accepted, Failed {
    }

    /** The response head is not complete yet. */
    public record NeedMore() implements Outcome {
        static final NeedMore INSTANCE = new NeedMore();
    }

    /**
     * The server accepted.
     *
     * @param headers the response's header fields
     * @param subprotocol the subprotocol the server chose, or {@code null}
     * @param extensions the extensions the server accepted, in its order
     */
    public record Accepted(HttpHeaders headers, String subprotocol, List<ExtensionOffer> extensions) implements Outcome {
    }

    /**
     * The handshake failed.
     *
     * @param status the response's HTTP status, or 0 when no status line could be read
     * @param reason the rule the response broke
     */
    public record Failed(int status, String reason) implements Outcome {
    }

    private final String hostHeader;
    private final String path;
    private final List<String> subprotocols;
    private final List<String> extensionOffers;
    private final HttpHeaders extraHeaders;
    private final String key;
    private final HttpHeadParser parser = new HttpHeadParser(ServerHandshakeConfig.DEFAULT_MAX_HEAD_BYTES);
    /** Why the handshake failed, once it has; null until then. */
    private Failed failure;
    private boolean responseStarted;

    /**
     * A client's opening handshake (§4.1), with a fresh key.
     *
     * @param hostHeader the Host header's value: the host, and the port unless it is the scheme's default
     * @param path the request target: the path and query of the URI
     * @param subprotocols the subprotocols to offer, in our preference order; empty for none
     * @param extensionOffers the {@code Sec-WebSocket-Extensions} values to offer; empty for none
     * @param extraHeaders further header fields to send (authorization, cookies)
     * @param random the source of the 16-byte key (§4.1: "randomly selected"); a SecureRandom outside tests
     */
    public ClientHandshake(String hostHeader, String path, List<String> subprotocols, List<String> extensionOffers,
            HttpHeaders extraHeaders, Random random) {
        this.hostHeader = hostHeader;
        this.path = path;
        this.subprotocols = List.copyOf(subprotocols);
        this.extensionOffers = List.copyOf(extensionOffers);
        this.extraHeaders = extraHeaders;
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /** {@return the {@code Sec-WebSocket-Key} sent, base64} */
    public String key() {
        return key;
    }

    /** {@return the request to send, ready to write} */
    public ByteBuffer request() {
        StringBuilder out = new StringBuilder(256);
        out.append("GET ").append(path).append(" HTTP/1.1\r\n");
        out.append("Host: ").append(hostHeader).append("\r\n");
        out.append("Upgrade: websocket\r\n");
        out.append("Connection: Upgrade\r\n");
        out.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        out.append("Sec-WebSocket-Version: 13\r\n");
        if (!subprotocols.isEmpty()) {
            out.append("Sec-WebSocket-Protocol: ").append(String.join(", ", subprotocols)).append("\r\n");
        }
        if (!extensionOffers.isEmpty()) {
            out.append("Sec-WebSocket-Extensions: ").append(String.join(", ", extensionOffers)).append("\r\n");
        }
        out.append(extraHeaders.toString()).append("\r\n");
        return ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@return why the server's response was refused, or {@code null} if it was not (yet)} */
    public Failed failure() {
        return failure;
    }

    /** {@return whether any byte of the server's response has arrived} */
    public boolean responseStarted() {
        return responseStarted;
    }

    /**
     * Consumes response bytes; bytes after the response head (the server's first frames) are left in {@code in}.
     *
     * @param in the bytes read from the server
     * @return whether more is needed, the response was accepted, or it was refused
     */
    public Outcome feed(ByteBuffer in) {
        responseStarted |= in.hasRemaining();
        Outcome outcome = check(in);
        if (outcome instanceof Failed failed) {
            failure = failed;
        }
        return outcome;
    }

    private Outcome check(ByteBuffer in) {
        switch (parser.feed(in)) {
            case NEED_MORE:
                return NeedMore.INSTANCE;
            case TOO_LARGE:
            case MALFORMED:
                return notHttp();
            case COMPLETE:
            default:
                break;
        }
        int status = parser.statusCode();
        if (status < 0) {
            return notHttp();
        }
        HttpHeaders headers = parser.headers();
        if (status != HttpStatus.SWITCHING_PROTOCOLS) {
            return new Failed(status, "§4.1: the server answered " + status + " instead of 101 Switching Protocols");
        }
        // §4.1, the client's checks of the server's handshake, items 2-6.
        if (!headers.containsToken("Upgrade", "websocket")) {
            return new Failed(status, "§4.1: the response's Upgrade header lacks websocket");
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            return new Failed(status, "§4.1: the response's Connection header lacks Upgrade");
        }
        if (!WebSocketAccept.compute(key).equals(headers.first("Sec-WebSocket-Accept"))) {
            return new Failed(status, "§4.1: the response's Sec-WebSocket-Accept does not match our key");
        }
        String subprotocol = headers.first("Sec-WebSocket-Protocol");
        if (subprotocol != null && !subprotocols.contains(subprotocol)) {
            return new Failed(status, "§4.1: the server chose a subprotocol we did not offer: " + subprotocol);
        }
        List<ExtensionOffer> extensions = ExtensionOffer.parseAll(headers.all("Sec-WebSocket-Extensions"));
        List<String> offeredNames = new ArrayList<>();
        for (ExtensionOffer offer : ExtensionOffer.parseAll(extensionOffers)) {
            offeredNames.add(offer.name());
        }
        for (ExtensionOffer extension : extensions) {
            if (!offeredNames.contains(extension.name())) {
                return new Failed(status,
                        "§4.1: the server accepted an extension we did not offer: " + extension.name());
            }
        }
        return new Accepted(headers, subprotocol, extensions);
    }

    private Failed notHttp() {
        return new Failed(0, "§4.1: the response is not an HTTP response head: " + parser.failureReason());
    }
}
