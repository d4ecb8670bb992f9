package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What a valid WebSocket request goes through before its 101: the first route whose pattern matches its path
 * (404 when none does), then the server's authenticator and the route's own, in that order, the second only if the
 * first accepts; their attributes and headers are merged. The result is a stage, complete at once when no
 * authenticator takes its time.
 */
final class HandshakeGate {

    /** What {@link #admit} found: the route taken, its path parameters, and the decision to come. */
    record Admission(Route route, Map<String, String> pathParameters, CompletionStage<HandshakeDecision> decision) {
    }

    private static final CompletionStage<HandshakeDecision> ACCEPT =
            CompletableFuture.completedFuture(HandshakeDecision.accept());

    private final List<Route> routes;
    private final HandshakeAuthenticator authenticator; // the server's, or null

    /** Routes in the order added; the catch-all handler, if any, after them. */
    HandshakeGate(List<Route> routes, WebSocketHandler catchAll, HandshakeAuthenticator authenticator) {
        List<Route> all = new ArrayList<>(routes);
        if (catchAll != null) {
            all.add(Route.everyPath(catchAll));
        }
        this.routes = List.copyOf(all);
        this.authenticator = authenticator;
    }

    /** The route for this request and its decision; a request no route takes gets 404, with no route. */
    private Admission admit(HttpRequest request) {
        String path = request.path();
        for (Route route : routes) {
            Map<String, String> parameters = route.match(path);
            if (parameters != null) {
                return new Admission(route, parameters, authenticate(request, route));
            }
        }
        return new Admission(null, Map.of(), CompletableFuture.completedFuture(HandshakeDecision.reject(
                HttpStatus.NOT_FOUND, "no WebSocket endpoint at " + path)));
    }

    /**
     * On the loop, for a connection whose request is valid: routes it (its session takes the route's handler and
     * path parameters) and returns the decision when it is known at once, or {@code null} when it comes later:
     * then it reaches the connection's loop through its task queue, from whatever thread completes it.
     */
    HandshakeDecision decide(HttpRequest request, SocketDriver connection) {
        Admission admission = admit(request);
        if (admission.route() != null) {
            connection.session.events.useHandler(admission.route().handler());
            connection.session.pathParameters = admission.pathParameters();
        }
        CompletionStage<HandshakeDecision> stage = admission.decision();
        if (stage instanceof CompletableFuture<HandshakeDecision> future && future.isDone()) {
            HandshakeDecision decision = future.handle((d, error) -> checked(connection, d, error)).join();
            takeAttributes(connection, decision);
            return decision;
        }
        stage.whenComplete((decision, error) -> connection.loop.execute(() -> decided(connection, decision, error)));
        return null;
    }

    /** On the loop: a decision that took its time, taken if the handshake still waits for it, dropped if not. */
    private static void decided(SocketDriver connection, HandshakeDecision decision, Throwable error) {
        HandshakeDecision checked = checked(connection, decision, error);
        Loop loop = connection.loop;
        takeAttributes(connection, checked); // first: an accept opens the session at once
        if (!connection.protocol.decide(checked, loop.now())) {
            loop.counters().increment(Counter.HANDSHAKE_DECISIONS_DROPPED); // the client left, or the timer ran out
            return;
        }
        if (!checked.isAccepted()) {
            loop.counters().handshakeRejected(checked.rejection().status());
        }
        loop.markDirty(connection);
    }

    /** The decision, or 500 for an authenticator that failed (logged here, once). */
    private static HandshakeDecision checked(SocketDriver connection, HandshakeDecision decision, Throwable error) {
        if (error == null && decision != null) {
            return decision;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        ReactorLog.warning("connection " + connection.id + ": the handshake authenticator failed; answering 500",
                cause != null ? cause : new IllegalStateException("it decided null"));
        return HandshakeDecision.reject(HttpStatus.INTERNAL_SERVER_ERROR, "the handshake check failed");
    }

    private static void takeAttributes(SocketDriver connection, HandshakeDecision decision) {
        if (decision.isAccepted() && !decision.attributes().isEmpty()) {
            connection.session.attributes().putAll(decision.attributes());
        }
    }

    /** The server's authenticator, then the route's if the first accepts. */
    private CompletionStage<HandshakeDecision> authenticate(HttpRequest request, Route route) {
        CompletionStage<HandshakeDecision> first = ask(authenticator, request);
        if (route.authenticator() == null) {
            return first;
        }
        return first.thenCompose(decision -> decision == null || !decision.isAccepted() ? first
                : ask(route.authenticator(), request).thenApply(second -> merge(decision, second)));
    }

    /** A hook that throws is a stage that failed: one path for every failure. */
    private static CompletionStage<HandshakeDecision> ask(HandshakeAuthenticator hook, HttpRequest request) {
        if (hook == null) {
            return ACCEPT;
        }
        try {
            CompletionStage<HandshakeDecision> stage = hook.authenticate(request);
            return stage != null ? stage : CompletableFuture.completedFuture(null);
        } catch (Throwable error) {
            return CompletableFuture.failedFuture(error);
        }
    }

    private static HandshakeDecision merge(HandshakeDecision first, HandshakeDecision second) {
        if (second == null || !second.isAccepted()) {
            return second;
        }
        Map<String, Object> attributes = new LinkedHashMap<>(first.attributes());
        attributes.putAll(second.attributes());
        HandshakeDecision merged = HandshakeDecision.accept(attributes);
        for (var field : first.headers()) {
            merged = merged.withHeader(field.name(), field.value());
        }
        for (var field : second.headers()) {
            merged = merged.withHeader(field.name(), field.value());
        }
        return merged;
    }
}
