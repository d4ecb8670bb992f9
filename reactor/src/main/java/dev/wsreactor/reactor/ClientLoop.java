package dev.wsreactor.reactor;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The event loop of a {@link WebSocketClient} built without a server: an {@link EventLoop} serving only that
 * client's outgoing sockets. A socket is a {@link Connector} until TCP is up, then a {@link SocketDriver} like any
 * server connection, so reading, writing, backpressure, timers and closing are the server's own code. It ends
 * once the client is closed and its connections there are gone.
 */
final class ClientLoop extends EventLoop {

    /** The client's sockets on this loop; set before the thread starts. */
    private ClientSet client;

    ClientLoop(int outputBufferSize) throws IOException {
        super(outputBufferSize, 64);
    }

    /** Opens {@code count} loops (not started yet); all or none. */
    static ClientLoop[] openAll(int count, int outputBufferSize) {
        if (count < 1) {
            throw new IllegalArgumentException("reactors must be at least 1, got " + count);
        }
        ClientLoop[] made = new ClientLoop[count];
        try {
            for (int i = 0; i < count; i++) {
                made[i] = new ClientLoop(outputBufferSize);
            }
        } catch (IOException e) {
            for (ClientLoop loop : made) {
                if (loop != null) {
                    Acceptor.closeQuietly(loop.selector());
                }
            }
            throw new UncheckedIOException("cannot open a selector", e);
        }
        return made;
    }

    /** Starts the loop's thread, serving {@code client}. */
    void start(ClientSet client, String name, boolean daemon) {
        this.client = client;
        Thread t = new Thread(this, name);
        t.setDaemon(daemon);
        bindThread(t);
        t.start();
    }

    @Override
    boolean isStopped() {
        return client.isClosing() && client.isEmpty();
    }
}
