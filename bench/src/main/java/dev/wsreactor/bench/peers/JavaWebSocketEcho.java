package dev.wsreactor.bench.peers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** The Java-WebSocket 1.6.0 peer: an echo server with one decoder thread, TCP_NODELAY, as ours behaves. */
public final class JavaWebSocketEcho extends WebSocketServer {

    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    /** An echo server on this port (0: any free one); {@link #awaitStart} tells when it listens. */
    public JavaWebSocketEcho(int port) {
        super(new InetSocketAddress("127.0.0.1", port), 1);
        setTcpNoDelay(true);
        setReuseAddr(true);
        setConnectionLostTimeout(0);
    }

    public static void main(String[] args) {
        new JavaWebSocketEcho(Integer.parseInt(args[0])).start();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        conn.send(message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        conn.send(message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
        started.countDown();
        System.out.println("Java-WebSocket echo server listening on " + getPort());
    }

    /** Waits until the server listens; false if it did not within the timeout. */
    public boolean awaitStart(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        return started.await(timeout, unit);
    }
}
