package dev.wsreactor.protocol.handshake;

import dev.wsreactor.protocol.internal.HttpToken;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The application's answer to a valid opening handshake: accept it (with attributes for the session and extra
 * headers on the 101, such as {@code Set-Cookie}) or reject it (an HTTP status, a reason sent as the body, and
 * extra headers such as {@code WWW-Authenticate}). Immutable: each {@code with...} returns a new decision.
 *
 * <pre>{@code
 * HandshakeDecision.accept(Map.of("user", "ada")).withHeader("Set-Cookie", "seen=1; HttpOnly");
 * HandshakeDecision.reject(401, "unknown token").withHeader("WWW-Authenticate", "Bearer");
 * }</pre>
 */
public final class HandshakeDecision {

    /** The headers the handshake itself writes on a 101 (§4.2.2); a decision may not set them. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "content-length");

    private static final HandshakeDecision ACCEPT = new HandshakeDecision(null, Map.of(), List.of());

    private final HandshakeRejection rejection; // null when accepted
    private final Map<String, Object> attributes;
    private final List<HttpField> headers;

    private HandshakeDecision(HandshakeRejection rejection, Map<String, Object> attributes, List<HttpField> headers) {
        this.rejection = rejection;
        this.attributes = attributes;
        this.headers = headers;
    }

    /**
     * Accepts the handshake with no attributes and no extra headers.
     *
     * @return the decision to accept
     */
    public static HandshakeDecision accept() {
        return ACCEPT;
    }

    /**
     * Accepts the handshake; the session starts with these attributes.
     *
     * @param attributes names and values (none {@code null}) the session holds from its {@code onOpen} on
     * @return the decision to accept
     */
    public static HandshakeDecision accept(Map<String, ?> attributes) {
        return new HandshakeDecision(null, Collections.unmodifiableMap(new LinkedHashMap<>(attributes)), List.of());
    }

    /**
     * Rejects the handshake with this status; the reason is sent as a plain-text body.
     *
     * @param status an HTTP status of 400 or above
     * @param reason a short explanation for the client's author
     * @return the decision to reject
     * @throws IllegalArgumentException if the status is below 400
     */
    public static HandshakeDecision reject(int status, String reason) {
        return reject(HandshakeRejection.of(status, reason));
    }

    /**
     * Rejects the handshake with this rejection (its status, reason and headers).
     *
     * @param rejection what to send
     * @return the decision to reject
     * @throws IllegalArgumentException if its status is below 400
     */
    public static HandshakeDecision reject(HandshakeRejection rejection) {
        if (rejection.status() < 400 || rejection.status() > 599) {
            throw new IllegalArgumentException("a rejection needs a 4xx or 5xx status, got " + rejection.status());
        }
        return new HandshakeDecision(rejection, Map.of(), List.of());
    }

    /**
     * This decision with one more header on its response (the 101, or the rejection). Names and values are
     * checked here, in the caller's thread: a line break in a value would split the response (RFC 9110 §5.5).
     *
     * @param name a header name (an RFC 9110 token); on an accept, not one the handshake writes itself
     * @param value the value, without CR, LF or NUL
     * @return a new decision
     * @throws IllegalArgumentException if the name or value is not allowed
     */
    public HandshakeDecision withHeader(String name, String value) {
        checkField(name, value);
        if (rejection == null && HANDSHAKE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(name + " is written by the handshake itself");
        }
        List<HttpField> more = new ArrayList<>(headers);
        more.add(new HttpField(name, value));
        return new HandshakeDecision(rejection, attributes, List.copyOf(more));
    }

    /**
     * This accept with one more attribute for the session.
     *
     * @param name the attribute's name
     * @param value its value, not {@code null}
     * @return a new decision
     * @throws IllegalStateException on a rejection, which has no session
     */
    public HandshakeDecision withAttribute(String name, Object value) {
        if (rejection != null) {
            throw new IllegalStateException("a rejected handshake has no session to hold attributes");
        }
        Map<String, Object> more = new LinkedHashMap<>(attributes);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new HandshakeDecision(null, Collections.unmodifiableMap(more), headers);
    }

    /**
     * Whether the handshake is accepted.
     *
     * @return true for an accept, false for a rejection
     */
    public boolean isAccepted() {
        return rejection == null;
    }

    /**
     * The attributes the session starts with (empty for a rejection).
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * The extra headers of the response, in the order added.
     *
     * @return an unmodifiable list
     */
    public List<HttpField> headers() {
        return headers;
    }

    /**
     * The rejection with the extra headers added, or {@code null} for an accept.
     *
     * @return what to send instead of a 101
     */
    public HandshakeRejection rejection() {
        if (rejection == null || headers.isEmpty()) {
            return rejection;
        }
        HttpHeaders all = new HttpHeaders();
        for (HttpField field : rejection.extraHeaders().fields()) {
            all.add(field.name(), field.value());
        }
        headers.forEach(field -> all.add(field.name(), field.value()));
        return new HandshakeRejection(rejection.status(), rejection.reason(), all);
    }

    @Override
    public String toString() {
        return rejection == null ? "accept " + attributes.keySet() : "reject " + rejection.status() + " "
                + rejection.reason();
    }

    private static void checkField(String name, String value) {
        if (!HttpToken.isToken(name)) {
            throw new IllegalArgumentException("not a header name: " + name);
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0 || c > 0xFF)) {
            throw new IllegalArgumentException("header value with CR, LF, NUL or a character beyond Latin-1");
        }
    }
}
