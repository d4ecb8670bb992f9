package dev.wsreactor.protocol;

/** What can happen to a connection: the events of the state table in {@link Transitions}. */
public enum Trigger {
    /** The opening handshake succeeded (§4.2.2 server, §4.1 client). */
    HANDSHAKE_ACCEPTED,
    /** The opening handshake was refused or was malformed (§4.2.1). */
    HANDSHAKE_REJECTED,
    /**
     * The request is complete and valid, and the application decides later (an asynchronous check of a token, say);
     * its decision comes as HANDSHAKE_ACCEPTED or HANDSHAKE_REJECTED.
     */
    DECISION_DEFERRED,
    /** The application (or the server itself, e.g. at shutdown) starts the closing handshake (§7.1.2). */
    CLOSE_SENT,
    /** A valid Close frame arrived from the peer (§5.5.1). */
    CLOSE_RECEIVED,
    /** The peer broke the protocol: fail the connection (§7.1.7). */
    PROTOCOL_VIOLATION,
    /** The current state's deadline passed: handshake, keepalive pong, closing handshake or TCP close. */
    TIMEOUT,
    /** No message went either way for the idle time ({@code closeWhenIdle}): close politely with 1001. */
    IDLE_TIMEOUT,
    /** The TCP connection is gone: end of stream, a reset, or the I/O layer closed it (§7.1.4). */
    TRANSPORT_CLOSED,
    /**
     * Something inside this process failed (a bug, an Error, a listener that threw): fail the connection with 1011
     * (§7.4.1) rather than let the fault reach the I/O layer.
     */
    INTERNAL_ERROR
}
