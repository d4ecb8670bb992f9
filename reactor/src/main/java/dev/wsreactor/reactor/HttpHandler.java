package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;

/**
 * Answers plain HTTP requests that arrive on the WebSocket port (a page, a health check). Runs on the reactor
 * thread, so it must be quick. The connection is closed after the response (no keep-alive).
 */
@FunctionalInterface
public interface HttpHandler {

    /** Answers 426 Upgrade Required to everything: the default, for a port that only speaks WebSocket. */
    HttpHandler UPGRADE_REQUIRED = request -> HttpResponse.upgradeRequired();

    /**
     * Answers a plain HTTP request; the connection is closed after the response.
     *
     * @param request the request
     * @return the response to send; {@code null} means 426 Upgrade Required
     */
    HttpResponse handle(HttpRequest request);
}
