package dev.wsreactor.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * How {@link TlsBench}'s clients reach one server: plain TCP, or TLS with full handshakes (no resumption) or resumed
 * ones; and the few fixed bytes they speak over a blocking socket (the upgrade, masked frames, skipping a frame).
 */
record BlockingClient(int port, SSLContext tls, boolean noResumption) {

    /** Connects, and for TLS completes the TLS handshake. */
    Socket open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        if (tls == null) {
            return socket;
        }
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", port, true);
        secure.startHandshake();
        if (noResumption) {
            secure.getSession().invalidate(); // the next connection cannot resume this session
        }
        return secure;
    }

    /** Sends the opening handshake and reads the response up to its blank line. */
    static void upgrade(OutputStream out, DataInputStream in) throws IOException {
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** One masked text frame of {@code size} letters 'a'. */
    static byte[] maskedText(int size) {
        int header = size < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + size];
        frame[0] = (byte) 0x81;
        if (size < 126) {
            frame[1] = (byte) (0x80 | size);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (size >> 8);
            frame[3] = (byte) size;
        }
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        System.arraycopy(key, 0, frame, header, 4);
        for (int i = 0; i < size; i++) {
            frame[header + 4 + i] = (byte) ('a' ^ key[i & 3]);
        }
        return frame;
    }

    /** Reads one unmasked frame from the server and drops it. */
    static void skipFrame(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        long n = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        in.skipNBytes(n);
    }
}
