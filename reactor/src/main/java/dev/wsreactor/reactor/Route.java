package dev.wsreactor.reactor;

import java.util.Map;

/**
 * One route of the server: the path pattern, the handler of the sessions it accepts, and its own authenticator
 * (run after the server's), or {@code null}.
 */
record Route(PathPattern pattern, WebSocketHandler handler, HandshakeAuthenticator authenticator) {

    /** The catch-all route of {@code handler(...)}: every path. */
    static Route everyPath(WebSocketHandler handler) {
        return new Route(null, handler, null);
    }

    /** The path parameters when {@code path} is this route's, or {@code null}. */
    Map<String, String> match(String path) {
        return pattern == null ? Map.of() : pattern.match(path);
    }
}
