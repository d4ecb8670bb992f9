package dev.wsreactor.reactor;

/** The server's counters for JMX consoles (jconsole, VisualVM): registered when the builder asks for it. */
public interface WebSocketServerMXBean {

    long getConnectionsAccepted();

    int getConnectionsOpen();

    long getSessionsOpen();

    long getHandshakesRejected();

    long getMessagesReceived();

    long getMessagesSent();

    long getBytesRead();

    long getBytesWritten();

    long getProtocolErrors();

    long getSlowConsumersClosed();

    long getHandlerErrors();

    long getAcceptErrors();

    long getTlsHandshakes();

    long getTlsFailures();

    /** How many sessions closed with each close code. */
    java.util.Map<Integer, Long> getCloseCodes();
}
