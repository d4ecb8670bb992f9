package dev.wsreactor.reactor;

/**
 * The reactor's running counts. The reactor thread increments the plain fields (no atomics on the hot path) and
 * copies them to volatile mirrors once per loop iteration with {@link #publish}; other threads read only the
 * mirrors, through {@link #snapshot}. A snapshot may mix two iterations; each figure is exact for its own.
 */
final class Counters {

    long connectionsAccepted;
    long sessionsOpened;
    long sessionsClosed;
    long handshakesRejected;
    long messagesReceived;
    long messagesSent;
    long bytesRead;
    long bytesWritten;
    long protocolErrors;
    long slowConsumersClosed;
    long handlerErrors;
    long acceptErrors;
    long connectionsOpen;
    long tlsHandshakes;
    long tlsFailures;
    long tlsTaskNanos;

    private volatile long publishedConnectionsAccepted;
    private volatile long publishedSessionsOpened;
    private volatile long publishedSessionsClosed;
    private volatile long publishedHandshakesRejected;
    private volatile long publishedMessagesReceived;
    private volatile long publishedMessagesSent;
    private volatile long publishedBytesRead;
    private volatile long publishedBytesWritten;
    private volatile long publishedProtocolErrors;
    private volatile long publishedSlowConsumersClosed;
    private volatile long publishedHandlerErrors;
    private volatile long publishedAcceptErrors;
    private volatile long publishedConnectionsOpen;
    private volatile long publishedTlsHandshakes;
    private volatile long publishedTlsFailures;
    private volatile long publishedTlsTaskNanos;

    private final java.util.TreeMap<Integer, Long> closeCodes = new java.util.TreeMap<>();
    private boolean closeCodesChanged;
    private volatile java.util.Map<Integer, Long> publishedCloseCodes = java.util.Map.of();

    /** A session closed with this code (the peer's, or ours when we failed it). */
    void sessionClosed(int code) {
        sessionsClosed++;
        closeCodes.merge(code, 1L, Long::sum);
        closeCodesChanged = true;
    }

    /** Called by the reactor thread; a volatile write happens only for a figure that changed. */
    void publish() {
        if (closeCodesChanged) {
            closeCodesChanged = false;
            publishedCloseCodes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(closeCodes));
        }
        if (publishedConnectionsAccepted != connectionsAccepted) {
            publishedConnectionsAccepted = connectionsAccepted;
        }
        if (publishedSessionsOpened != sessionsOpened) {
            publishedSessionsOpened = sessionsOpened;
        }
        if (publishedSessionsClosed != sessionsClosed) {
            publishedSessionsClosed = sessionsClosed;
        }
        if (publishedHandshakesRejected != handshakesRejected) {
            publishedHandshakesRejected = handshakesRejected;
        }
        if (publishedMessagesReceived != messagesReceived) {
            publishedMessagesReceived = messagesReceived;
        }
        if (publishedMessagesSent != messagesSent) {
            publishedMessagesSent = messagesSent;
        }
        if (publishedBytesRead != bytesRead) {
            publishedBytesRead = bytesRead;
        }
        if (publishedBytesWritten != bytesWritten) {
            publishedBytesWritten = bytesWritten;
        }
        if (publishedProtocolErrors != protocolErrors) {
            publishedProtocolErrors = protocolErrors;
        }
        if (publishedSlowConsumersClosed != slowConsumersClosed) {
            publishedSlowConsumersClosed = slowConsumersClosed;
        }
        if (publishedHandlerErrors != handlerErrors) {
            publishedHandlerErrors = handlerErrors;
        }
        if (publishedAcceptErrors != acceptErrors) {
            publishedAcceptErrors = acceptErrors;
        }
        if (publishedConnectionsOpen != connectionsOpen) {
            publishedConnectionsOpen = connectionsOpen;
        }
        if (publishedTlsHandshakes != tlsHandshakes) {
            publishedTlsHandshakes = tlsHandshakes;
        }
        if (publishedTlsFailures != tlsFailures) {
            publishedTlsFailures = tlsFailures;
        }
        if (publishedTlsTaskNanos != tlsTaskNanos) {
            publishedTlsTaskNanos = tlsTaskNanos;
        }
    }

    ServerStats snapshot() {
        return new ServerStats(publishedConnectionsAccepted, publishedSessionsOpened - publishedSessionsClosed,
                publishedHandshakesRejected, publishedMessagesReceived, publishedMessagesSent, publishedBytesRead,
                publishedBytesWritten, publishedProtocolErrors, publishedSlowConsumersClosed, publishedHandlerErrors,
                publishedAcceptErrors, (int) publishedConnectionsOpen, publishedCloseCodes, publishedTlsHandshakes,
                publishedTlsFailures, publishedTlsTaskNanos);
    }
}
