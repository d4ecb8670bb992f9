package dev.wsreactor.reactor;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The application's handler for one client connection, with the opening handshake's outcome added: the future
 * {@link WebSocketClient#connect} returned completes with the session when it opens, or fails with the reason
 * when the socket is released before it did.
 */
final class ClientSessionHandler implements WebSocketHandler {

    private final ClientSet client;
    private final WebSocketHandler application;
    private final ClientHandshake handshake;
    private final CompletableFuture<Session> opened;
    private final long handshakeTimeoutNanos;
    private long handshakeDeadline = Long.MAX_VALUE;

    ClientSessionHandler(ClientSet client, WebSocketHandler application, ClientHandshake handshake, CompletableFuture<Session> opened,
            long handshakeTimeoutNanos) {
        this.client = client;
        this.application = application;
        this.handshake = handshake;
        this.opened = opened;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    /** The application's own handler (which may take messages in parts). */
    WebSocketHandler application() {
        return application;
    }

    /** TCP is up: the handshake's timer starts now, as the connection's does. */
    void connected(long nowNanos) {
        handshakeDeadline = nowNanos + handshakeTimeoutNanos;
    }

    /** The socket is closed; if the session never opened, say why. Then its client forgets it. */
    void released(SocketDriver connection) {
        try {
            if (!opened.isDone()) {
                opened.completeExceptionally(whyNotOpened(connection));
            }
        } catch (Throwable error) {
            opened.completeExceptionally(error); // the future completes whatever happens
        } finally {
            client.released(connection);
        }
    }

    private IOException whyNotOpened(SocketDriver connection) {
        ClientHandshake.Failed failure = handshake.failure();
        if (connection.transport instanceof TlsTransport tls && tls.failure() != null) {
            return tls.failure(); // the certificate is not trusted, not for this host, or TLS went wrong
        }
        if (failure != null) {
            return new HandshakeFailedException(failure.status(), failure.reason());
        } else if (handshakeDeadline != Long.MAX_VALUE && connection.loop.now() - handshakeDeadline >= 0) {
            return new HandshakeFailedException(0, "§4.1: the opening handshake timed out"
                    + (handshake.responseStarted() ? " in the middle of the response" : " with no response"));
        }
        return new HandshakeFailedException(0,
                "§4.1: the connection closed before the server's handshake response was complete");
    }

    @Override
    public void onOpen(Session session) {
        try {
            application.onOpen(session);
        } finally {
            opened.complete(session);
        }
    }

    @Override
    public void onText(Session session, String text) {
        application.onText(session, text);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        application.onBinary(session, data);
    }

    @Override
    public void onPing(Session session, ByteBuffer payload) {
        application.onPing(session, payload);
    }

    @Override
    public void onPong(Session session, ByteBuffer payload) {
        application.onPong(session, payload);
    }

    @Override
    public void onClose(Session session, CloseCode code, String reason) {
        application.onClose(session, code, reason);
    }

    @Override
    public void onWritable(Session session) {
        application.onWritable(session);
    }

    @Override
    public void onError(Session session, Throwable error) {
        application.onError(session, error);
    }
}
