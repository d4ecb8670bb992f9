package dev.wsreactor.reactor;

import dev.wsreactor.bus.Bus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The builder's settings of what the server serves and to whom: routes, handshake decisions, the session timers,
 * the proxies in front of it and its metrics (the fields are {@link ServerOptions}'s, with the other setters).
 */
abstract class EndpointOptions extends ServerOptions {

    /**
     * The proxies in front of the server, as addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}): from
     * them, {@code Forwarded} or {@code X-Forwarded-For} name {@link Session#clientAddress()}, and when any are
     * named only they may send a PROXY header. {@code build()} refuses an entry that is neither.
     *
     * @param addressesAndRanges IP address literals and CIDR ranges, IPv4 or IPv6
     * @return this builder
     */
    public WebSocketServer.Builder trustedProxies(String... addressesAndRanges) {
        this.trustedProxies = List.of(addressesAndRanges);
        return self();
    }

    /**
     * Whether every connection begins with a PROXY protocol header, v1 or v2, naming the client (default OFF).
     *
     * @param mode {@link ProxyProtocol#REQUIRED} behind a TCP proxy that sends the header
     * @return this builder
     */
    public WebSocketServer.Builder proxyProtocol(ProxyProtocol mode) {
        this.proxyProtocol = Objects.requireNonNull(mode);
        return self();
    }

    /**
     * Serves the counters at this path in Prometheus's text format (0.0.4), to plain HTTP GETs on the same port;
     * other plain HTTP requests still go to the HTTP handler. Off by default.
     *
     * @param path the request path, e.g. {@code /metrics}
     * @return this builder
     */
    public WebSocketServer.Builder metricsEndpoint(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path begins with '/', got " + path);
        }
        this.metricsPath = path;
        return self();
    }

    /**
     * Adds a bus's figures to the metrics endpoint: the {@code wsreactor_bus_*} families, with the lag from
     * publishing to the listener ({@link Bus#stats()} at each scrape).
     *
     * @param bus the bus this server's node publishes and subscribes on
     * @return this builder
     */
    public WebSocketServer.Builder metricsBus(Bus bus) {
        this.metricsBus = Objects.requireNonNull(bus, "bus");
        return self();
    }

    /**
     * Serves the WebSocket requests whose path matches {@code pattern} with {@code handler}. Routes are tried in the
     * order added, the first match wins, and {@code handler(...)}, if set, takes every path no route took; a request
     * for a path nothing takes gets 404. A pattern is literal segments, {@code {name}} for one segment and, last,
     * {@code {name...}} for the rest: {@code /chat/{room}}, {@code /files/{path...}}. The values are the session's
     * {@link Session#pathParameter}s, percent-decoded; {@code .} and {@code ..}, sent as such or encoded, never
     * match a parameter.
     *
     * @param pattern the path pattern, starting with '/'
     * @param handler the handler of the sessions of this route
     * @return this builder
     * @throws IllegalArgumentException if the pattern is malformed
     */
    public WebSocketServer.Builder route(String pattern, WebSocketHandler handler) {
        return route(pattern, handler, null);
    }

    /**
     * As {@link #route(String, WebSocketHandler)}, with an authenticator of the route's own: it runs after the
     * server's ({@link #authenticate}), if that accepted; the attributes and headers of both are merged.
     *
     * @param pattern the path pattern, starting with '/'
     * @param handler the handler of the sessions of this route
     * @param authenticator decides on this route's requests, or {@code null} for none of its own
     * @return this builder
     * @throws IllegalArgumentException if the pattern is malformed
     */
    public WebSocketServer.Builder route(String pattern, WebSocketHandler handler,
            HandshakeAuthenticator authenticator) {
        routes.add(new Route(new PathPattern(pattern), Objects.requireNonNull(handler), authenticator));
        return self();
    }

    /**
     * Decides on every valid WebSocket request, possibly later (a token looked up in a database): accept with
     * attributes for the session and headers for the 101, or reject with a status. See {@link HandshakeAuthenticator}
     * for what happens while it decides. It runs after the synchronous {@code handshakeHook}s and {@code origins}.
     *
     * @param authenticator the server's authenticator (replaces one set before)
     * @return this builder
     */
    public WebSocketServer.Builder authenticate(HandshakeAuthenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator);
        return self();
    }

    /**
     * Keepalive: a Ping after this long without a byte from the client (default 30 s), and Close 1011 if nothing
     * comes back within the pong timeout; zero turns keepalive off. It never closes a session that answers.
     *
     * @param interval the silence before a Ping
     * @return this builder
     */
    public WebSocketServer.Builder pingInterval(Duration interval) {
        connection.pingInterval(interval);
        return self();
    }

    /**
     * The keepalive Ping interval, under its old name; forwards to {@link #pingInterval(Duration)}.
     *
     * @param idle the silence before a Ping
     * @return this builder
     * @deprecated it never closed an idle session: use {@link #pingInterval(Duration)}, and
     *     {@link #closeWhenIdle(Duration)} to close idle sessions
     */
    @Deprecated
    public WebSocketServer.Builder idleTimeout(Duration idle) {
        return pingInterval(idle);
    }

    /**
     * Closes a session with 1001 Going Away ("idle timeout") after this long without a message either way (Pings
     * and Pongs do not count). Default zero: off.
     *
     * @param idle the idle time
     * @return this builder
     */
    public WebSocketServer.Builder closeWhenIdle(Duration idle) {
        connection.closeWhenIdle(idle);
        return self();
    }
}
