package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.BufferPool;
import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Server-side connections brought to OPEN by a real handshake, and a listener that echoes every message. */
final class OpenConnections {

    private OpenConnections() {
    }

    /** A server connection with the default settings but no compression, after the handshake (its 101 consumed). */
    static Connection open(BufferPool pool, ConnectionListener listener) {
        return open(pool, listener, DeflateConfig.disabled());
    }

    /**
     * A server connection with these compression settings, after the handshake of a Chrome request, which offers
     * permessage-deflate with {@code client_max_window_bits}; with a shared compressor, it gets one as the reactor
     * hands its connections.
     */
    static Connection open(BufferPool pool, ConnectionListener listener, DeflateConfig deflate) {
        ConnectionConfig config = ConnectionConfig.builder().deflate(deflate).build();
        MessageDeflater shared = deflate.enabled() && deflate.sharedCompressor()
                ? new MessageDeflater(deflate.level()) : null;
        Connection connection = Connection.server(config, pool, listener, shared, 0L);
        connection.receive(ByteBuffer.wrap(HandshakeBenchmark.CHROME_REQUEST.getBytes(StandardCharsets.US_ASCII)), 0L);
        if (connection.state() != ConnectionState.OPEN) {
            throw new IllegalStateException("the handshake did not open the connection: " + connection.state());
        }
        Sink.writeAll(connection.output());
        return connection;
    }

    /** What the echo server does: every message is sent straight back. */
    static final class Echo implements ConnectionListener {

        Connection connection;
        long messages;
        boolean keep; // binary echoes hand the received buffer over (keep, sendKept) instead of copying it

        @Override
        public void onText(String text) {
            messages++;
            connection.sendText(text);
        }

        @Override
        public void onBinary(ByteBuffer data) {
            messages++;
            if (keep) {
                connection.sendKept(connection.keep(data));
            } else {
                connection.sendBinary(data);
            }
        }

        @Override
        public void onClose(CloseCode code, String reason) {
            throw new IllegalStateException("closed: " + code + " " + reason);
        }
    }

    /** A listener for connections that only send. */
    static final class Silent implements ConnectionListener {

        @Override
        public void onText(String text) {
            throw new IllegalStateException("no message was expected");
        }

        @Override
        public void onBinary(ByteBuffer data) {
            throw new IllegalStateException("no message was expected");
        }

        @Override
        public void onClose(CloseCode code, String reason) {
            throw new IllegalStateException("closed: " + code + " " + reason);
        }
    }
}
