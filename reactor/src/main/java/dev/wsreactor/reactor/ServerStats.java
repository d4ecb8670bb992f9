package dev.wsreactor.reactor;

/**
 * A snapshot of a server's counters since it started, as of the end of the reactor's last loop iteration.
 *
 * @param connectionsAccepted TCP connections accepted
 * @param sessionsOpen WebSocket sessions open now (handshake done, not yet closed)
 * @param handshakesRejected opening handshakes answered with an HTTP error (or plain HTTP requests answered)
 * @param messagesReceived whole messages delivered to the handler
 * @param messagesSent messages accepted for sending (broadcasts count once per session)
 * @param bytesRead bytes read from sockets
 * @param bytesWritten bytes written to sockets
 * @param protocolErrors connections failed for a protocol violation (1002, 1007, 1009, ...)
 * @param slowConsumersClosed connections closed because their queued output passed the hard limit
 * @param handlerErrors exceptions thrown by the handler
 * @param acceptErrors failures to accept a connection (e.g. too many open files)
 * @param connectionsOpen TCP connections open now, in any state
 * @param closeCodes how many sessions closed with each code (1000, 1001, 1006, ...), in code order
 * @param tlsHandshakes TLS handshakes completed
 * @param tlsFailures TLS connections dropped for a TLS error (plain HTTP or garbage on a TLS port, a refused
 *     certificate, a renegotiation attempt, a bad record)
 * @param tlsTaskNanos CPU time spent in the TLS engines' delegated tasks (certificate and key work), wherever they
 *     ran; divided by {@code tlsHandshakes}, the handshake's CPU cost outside the record layer
 */
public record ServerStats(
        long connectionsAccepted,
        long sessionsOpen,
        long handshakesRejected,
        long messagesReceived,
        long messagesSent,
        long bytesRead,
        long bytesWritten,
        long protocolErrors,
        long slowConsumersClosed,
        long handlerErrors,
        long acceptErrors,
        int connectionsOpen,
        java.util.Map<Integer, Long> closeCodes,
        long tlsHandshakes,
        long tlsFailures,
        long tlsTaskNanos) {
}
