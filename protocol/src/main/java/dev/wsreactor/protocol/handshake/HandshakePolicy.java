package dev.wsreactor.protocol.handshake;

import java.util.Collection;
import java.util.Set;

/**
 * The application's say on an opening handshake that is valid WebSocket: it sees the whole request (path, Origin,
 * cookies, headers) and may refuse it with a status (§4.2.2: "the server MAY ... abort the handshake").
 */
@FunctionalInterface
public interface HandshakePolicy {

    /** Accepts every request. */
    HandshakePolicy ACCEPT_ALL = request -> null;

    /**
     * Checks a valid upgrade request.
     *
     * @param request the request
     * @return {@code null} to accept, or the rejection to send
     */
    HandshakeRejection check(HttpRequest request);

    /**
     * Accepts only these origins (§10.2: the Origin header protects browsers' users from cross-site use). A request
     * without an Origin header comes from a non-browser client and is accepted.
     *
     * @param origins the origins allowed, such as {@code https://tickets.example}
     * @return the policy, which answers others with 403
     */
    static HandshakePolicy allowOrigins(Collection<String> origins) {
        Set<String> allowed = Set.copyOf(origins);
        return request -> {
            String origin = request.header("Origin");
            if (origin == null || allowed.contains(origin)) {
                return null;
            }
            return HandshakeRejection.of(HttpStatus.FORBIDDEN, "origin not allowed: " + origin);
        };
    }

    /**
     * {@return this policy, then {@code other} if this one accepts}
     *
     * @param other the policy asked second
     */
    default HandshakePolicy and(HandshakePolicy other) {
        return request -> {
            HandshakeRejection rejection = check(request);
            return rejection != null ? rejection : other.check(request);
        };
    }
}
