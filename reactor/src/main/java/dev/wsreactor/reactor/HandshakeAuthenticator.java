package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import java.util.concurrent.CompletionStage;

/**
 * The application's decision on a valid WebSocket request, which may take its time: look a token up in a
 * database, ask an authorization service. It runs on the reactor thread and must return at once; the stage it
 * returns may complete on any thread. Until it does, the connection reads nothing (a client's early frames wait for
 * the 101) and the handshake timeout still runs: a decision after it, or after the client left, is dropped.
 *
 * <p>A hook that throws, a stage that completes exceptionally or with {@code null}: the client gets 500 with a
 * reason, and the failure is logged once.
 */
@FunctionalInterface
public interface HandshakeAuthenticator {

    /**
     * Decides on one request.
     *
     * @param request the client's request: path, query parameters, cookies, headers
     * @return the decision, now ({@code CompletableFuture.completedFuture}) or later
     */
    CompletionStage<HandshakeDecision> authenticate(HttpRequest request);
}
