package dev.wsreactor.reactor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A plain socket that shapes what a TLS client layered over it writes: one byte per TCP write (so every TLS
 * record reaches the server spread over many reads), or held back and then sent in one write (so many records
 * arrive in one read).
 */
final class ShapedSocket extends Socket {

    enum Mode { NORMAL, ONE_BYTE_PER_WRITE, HOLD }

    volatile Mode mode = Mode.NORMAL;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private OutputStream shaped;

    ShapedSocket(int port) throws IOException {
        connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        setTcpNoDelay(true);
    }

    /** An SSL socket over this one; the TLS handshake runs on the first read or write (or startHandshake). */
    SSLSocket tls(SSLContext context, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(this, "127.0.0.1", getPort(), true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        return tls;
    }

    /** Sends in one write what {@link Mode#HOLD} held back. */
    synchronized void release() throws IOException {
        OutputStream raw = super.getOutputStream();
        raw.write(held.toByteArray());
        raw.flush();
        held.reset();
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (shaped == null) {
            OutputStream raw = super.getOutputStream();
            shaped = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    switch (mode) {
                        case NORMAL -> raw.write(bytes, offset, length);
                        case ONE_BYTE_PER_WRITE -> {
                            for (int i = 0; i < length; i++) {
                                raw.write(bytes[offset + i]); // one write(2) of one byte each, Nagle off
                            }
                        }
                        case HOLD -> {
                            synchronized (ShapedSocket.this) {
                                held.write(bytes, offset, length);
                            }
                        }
                    }
                }

                @Override
                public void flush() throws IOException {
                    raw.flush();
                }
            };
        }
        return shaped;
    }
}
