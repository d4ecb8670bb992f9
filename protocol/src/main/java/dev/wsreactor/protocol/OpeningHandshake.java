package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HandshakeRejection;
import dev.wsreactor.protocol.handshake.HttpField;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The connection's first phase (§4): it reads the peer's opening handshake, decides, and keeps what the open
 * connection takes over: the request, the subprotocol, the permessage-deflate agreement, and the response the
 * server must send. It decides only; the state table's row sends the response and opens or refuses.
 *
 * <p>A server speaks {@link ServerHandshake} (a plain HTTP request goes to the listener, or gets 426); a client
 * speaks {@link ClientHandshake}, whose request was queued when the connection was made.
 *
 * <p>A server's listener has the last word on a valid request ({@link ConnectionListener#onHandshakeRequest}); when
 * it decides later, the bytes that arrive meanwhile are held here, unread, until {@link #decide} is called.
 */
final class OpeningHandshake {

    private final ServerHandshake server; // exactly one of these two
    private final ClientHandshake client;
    private final ConnectionListener listener;
    private final ConnectionTrace trace;

    // What was decided, for the open connection to take over.
    private HttpRequest request;
    private String subprotocol;
    private PerMessageDeflate.Agreement deflate;
    private ByteBuffer response;
    private ServerHandshake.Accepted valid; // a valid request, while its decision is pending
    private ByteBuffer held; // what arrived while the decision was pending, or null

    private OpeningHandshake(ServerHandshake server, ClientHandshake client, ConnectionListener listener,
            ConnectionTrace trace) {
        this.server = server;
        this.client = client;
        this.listener = listener;
        this.trace = trace;
    }

    static OpeningHandshake server(ServerHandshake handshake, ConnectionListener listener, ConnectionTrace trace) {
        return new OpeningHandshake(handshake, null, listener, trace);
    }

    static OpeningHandshake client(ClientHandshake handshake, ConnectionTrace trace) {
        return new OpeningHandshake(null, handshake, null, trace);
    }

    /**
     * Reads handshake bytes from {@code in}; what follows the head (the peer's first frames) stays there.
     *
     * @return HANDSHAKE_ACCEPTED or HANDSHAKE_REJECTED once decided, {@code null} while the head is incomplete
     */
    Trigger read(ByteBuffer in) {
        return server != null ? readRequest(in) : readResponse(in);
    }

    /** The client's request, once read (also for a plain HTTP request). */
    HttpRequest request() {
        return request;
    }

    String subprotocol() {
        return subprotocol;
    }

    /** The permessage-deflate agreement, or {@code null} when the messages go uncompressed. */
    PerMessageDeflate.Agreement deflate() {
        return deflate;
    }

    /** The HTTP response the server sends (101, an error, or its answer to plain HTTP); {@code null} for a client. */
    ByteBuffer response() {
        return response;
    }

    /**
     * Keeps every byte of {@code in} (a client's early frames) until the decision, behind what is already held.
     * Bounded by the I/O layer, which reads no more once something is held (see {@link Connection#holdsInput()}).
     */
    void hold(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return;
        }
        int before = held == null ? 0 : held.remaining();
        ByteBuffer more = ByteBuffer.allocate(before + in.remaining());
        if (held != null) {
            more.put(held);
        }
        held = more.put(in).flip();
    }

    /** How many bytes are held for after the decision. */
    int heldBytes() {
        return held == null ? 0 : held.remaining();
    }

    /** The bytes held while the decision was pending, handed over once (null if none). */
    ByteBuffer takeHeld() {
        ByteBuffer bytes = held;
        held = null;
        return bytes;
    }

    /**
     * The application's decision on the valid request read before.
     *
     * @return HANDSHAKE_ACCEPTED or HANDSHAKE_REJECTED
     */
    Trigger decide(HandshakeDecision decision) {
        HandshakeRejection rejection = decision.rejection();
        if (rejection != null) {
            response = rejection.toResponse().encode();
            trace.line("handshake rejected: ", rejection.status() + " " + rejection.reason());
            return Trigger.HANDSHAKE_REJECTED;
        }
        response = decision.headers().isEmpty() ? valid.response() : valid.response(decision.headers());
        return Trigger.HANDSHAKE_ACCEPTED;
    }

    /** The response when the server itself failed while answering; {@code null} for a client, which sends none. */
    ByteBuffer internalErrorResponse() {
        return server == null ? null : HttpResponse.text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error").encode();
    }

    private Trigger readRequest(ByteBuffer in) {
        ServerHandshake.Outcome outcome = server.feed(in);
        if (outcome instanceof ServerHandshake.Accepted accepted) {
            request = accepted.request();
            subprotocol = accepted.subprotocol();
            deflate = agreement(accepted.acceptedExtensions());
            valid = accepted;
            HandshakeDecision decision = listener.onHandshakeRequest(request);
            return decision == null ? Trigger.DECISION_DEFERRED : decide(decision);
        }
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            response = rejected.response();
            trace.line("handshake rejected: ", rejected.status() + " " + rejected.reason());
            return Trigger.HANDSHAKE_REJECTED;
        }
        if (outcome instanceof ServerHandshake.NotWebSocket plain) {
            request = plain.request();
            HttpResponse answer = listener.onHttpRequest(plain.request());
            answer = withUpgradeFields(answer == null ? HttpResponse.upgradeRequired() : answer);
            response = answer.encode();
            trace.line("plain HTTP request answered with ", answer.status());
            return Trigger.HANDSHAKE_REJECTED;
        }
        return null; // NeedMore: wait for the rest of the request
    }

    private Trigger readResponse(ByteBuffer in) {
        ClientHandshake.Outcome outcome = client.feed(in);
        if (outcome instanceof ClientHandshake.Accepted accepted) {
            subprotocol = accepted.subprotocol();
            deflate = agreement(accepted.extensions());
            return Trigger.HANDSHAKE_ACCEPTED;
        }
        if (outcome instanceof ClientHandshake.Failed failed) {
            trace.line("handshake failed: ", failed.status() + " " + failed.reason());
            return Trigger.HANDSHAKE_REJECTED;
        }
        return null;
    }

    /** Today the only extension spoken is permessage-deflate. */
    private static PerMessageDeflate.Agreement agreement(List<ExtensionOffer> agreed) {
        PerMessageDeflate.Agreement deflate = null;
        for (ExtensionOffer extension : agreed) {
            if (extension.name().equals(PerMessageDeflate.NAME)) {
                deflate = PerMessageDeflate.Agreement.fromResponse(extension);
            }
        }
        return deflate;
    }

    /**
     * RFC 9110 §15.5.22: a 426 response "MUST send an Upgrade header field"; with it goes the version this server
     * speaks (§4.4). An application's 426 that lacks them gets them, on a copy.
     */
    private static HttpResponse withUpgradeFields(HttpResponse answer) {
        if (answer.status() != HttpStatus.UPGRADE_REQUIRED || answer.headers().first("Upgrade") != null) {
            return answer;
        }
        HttpHeaders headers = new HttpHeaders();
        for (HttpField field : answer.headers().fields()) {
            headers.add(field.name(), field.value());
        }
        headers.add("Upgrade", "websocket");
        if (headers.first("Sec-WebSocket-Version") == null) {
            headers.add("Sec-WebSocket-Version", "13");
        }
        return new HttpResponse(answer.status(), answer.reason(), headers, answer.body());
    }
}
