package dev.wsreactor.reactor;

/**
 * The server's running counts, by name. A new count is one more constant here: {@link ServerStats#get} reads it,
 * and the MXBean lists it as an attribute named after it ({@code TLS_FAILURES} becomes {@code TlsFailures}).
 */
public enum Counter {

    /** TCP connections accepted. */
    CONNECTIONS_ACCEPTED("TCP connections accepted"),
    /** TCP connections open now, in any state. */
    CONNECTIONS_OPEN("TCP connections open now, in any state"),
    /** WebSocket sessions open now (handshake done, not yet closed). */
    SESSIONS_OPEN("WebSocket sessions open now (handshake done, not yet closed)"),
    /** Opening handshakes answered with an HTTP error (or plain HTTP requests answered). */
    HANDSHAKES_REJECTED("opening handshakes answered with an HTTP error (or plain HTTP requests answered)"),
    /** Whole messages delivered to the handler. */
    MESSAGES_RECEIVED("whole messages delivered to the handler"),
    /** Messages accepted for sending (broadcasts count once per session). */
    MESSAGES_SENT("messages accepted for sending (broadcasts count once per session)"),
    /** Bytes read from sockets. */
    BYTES_READ("bytes read from sockets"),
    /** Bytes written to sockets. */
    BYTES_WRITTEN("bytes written to sockets"),
    /** Connections failed for a protocol violation (1002, 1007, 1009, ...). */
    PROTOCOL_ERRORS("connections failed for a protocol violation (1002, 1007, 1009, ...)"),
    /**
     * Connections closed with 1008 because their queued output stayed above the high-water mark for the slow-consumer
     * timeout, passed the hard limit, or was among the largest when the server's output passed its budget.
     */
    SLOW_CONSUMERS_CLOSED("connections closed with 1008 because their queued output stayed above the high-water"
            + " mark for the slow-consumer timeout, passed the hard limit, or was among the largest when the server's"
            + " output passed its budget"),
    /** Exceptions thrown by the handler. */
    HANDLER_ERRORS("exceptions thrown by the handler"),
    /** Failures to accept a connection (e.g. too many open files). */
    ACCEPT_ERRORS("failures to accept a connection (e.g. too many open files)"),
    /**
     * Sockets closed as soon as accepted (after a canned 503 on plain TCP) because the server was at maxConnections or
     * maxHandshaking.
     */
    CONNECTIONS_REFUSED("sockets closed as soon as accepted (after a canned 503 on plain TCP) because the server was"
            + " at maxConnections or maxHandshaking"),
    /** Connections in their opening handshake now. */
    CONNECTIONS_HANDSHAKING("connections in their opening handshake now"),
    /** Connections dropped because their opening handshake took longer than the handshake timeout. */
    HANDSHAKES_TIMED_OUT("connections dropped because their opening handshake took longer than the handshake"
            + " timeout"),
    /** Decisions of a {@link HandshakeAuthenticator} that came too late to be taken. */
    HANDSHAKE_DECISIONS_DROPPED("handshake decisions that came after the client had left, the handshake timeout or"
            + " the server's close, and were dropped"),
    /**
     * Connections closed after a fault inside the server (not the handler's), with 1011 where it could still be sent,
     * and failures of the loop itself (each survived).
     */
    INTERNAL_ERRORS("connections closed after a fault inside the server (not the handler's), with 1011 where it"
            + " could still be sent, and failures of the loop itself (each survived)"),
    /**
     * Bytes of output the connections hold now, waiting for their peers to read them (frames shared by a broadcast not
     * counted).
     */
    QUEUED_BYTES("bytes of output the connections hold now, waiting for their peers to read them (frames shared by"
            + " a broadcast not counted)"),
    /** TLS handshakes completed. */
    TLS_HANDSHAKES("TLS handshakes completed"),
    /**
     * TLS connections dropped for a TLS error (plain HTTP or garbage on a TLS port, a refused certificate, a
     * renegotiation attempt, a bad record).
     */
    TLS_FAILURES("TLS connections dropped for a TLS error (plain HTTP or garbage on a TLS port, a refused"
            + " certificate, a renegotiation attempt, a bad record)"),
    /**
     * CPU time spent in the TLS engines' delegated tasks (certificate and key work), wherever they ran; divided by
     * TlsHandshakes, the handshake's CPU cost outside the record layer.
     */
    TLS_TASK_NANOS("CPU time spent in the TLS engines' delegated tasks (certificate and key work), wherever they"
            + " ran; divided by TlsHandshakes, the handshake's CPU cost outside the record layer"),
    /** Certificates read again after their files changed, and served from then on. */
    TLS_CERTIFICATE_RELOADS("certificates read again after their files changed, and served to new handshakes from"
            + " then on"),
    /** Changed certificate files that could not be used (the certificate read before is still served). */
    TLS_CERTIFICATE_RELOAD_FAILURES("changed certificate files that could not be read or whose key is not the"
            + " certificate's, counted once each; the certificate read before is still served"),
    /** Connections refused for their PROXY protocol header (see {@link ProxyProtocol}). */
    PROXY_HEADER_FAILURES("connections closed because their PROXY protocol header was malformed, too long or"
            + " missing, or came from an address not among the trusted proxies");

    private final String description;
    private final String attributeName;

    Counter(String description) {
        this.description = description;
        StringBuilder camel = new StringBuilder();
        for (String word : name().split("_")) {
            camel.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        this.attributeName = camel.toString();
    }

    /** {@return what it counts, in a line} */
    public String description() {
        return description;
    }

    /**
     * Whether it is a level that goes up and down (connections open, bytes queued) rather than a running total.
     *
     * @return true for a gauge, false for a counter
     */
    public boolean isGauge() {
        return this == CONNECTIONS_OPEN || this == SESSIONS_OPEN || this == CONNECTIONS_HANDSHAKING
                || this == QUEUED_BYTES;
    }

    /** {@return its MXBean attribute: the name in camel case, {@code TlsFailures} for {@code TLS_FAILURES}} */
    public String attributeName() {
        return attributeName;
    }
}
