package dev.wsreactor.bench;

import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.FrameEncoder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * How {@link TlsBench}'s clients reach one server: plain TCP, or TLS with full handshakes (no resumption) or resumed
 * ones; and the few fixed bytes they speak over a blocking socket (the upgrade, masked frames, skipping a frame).
 */
record BlockingClient(int port, SSLContext tls, boolean noResumption) {

    /** A masked Close without a body. */
    static final byte[] CLOSE = frame(Opcode.CLOSE, new byte[0]);
    /** A masked Close with 1000 (normal closure). */
    static final byte[] CLOSE_NORMAL = frame(Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8});

    private static final int MASK_KEY = 0x11223344;

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
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'a');
        return frame(Opcode.TEXT, payload);
    }

    private static byte[] frame(Opcode opcode, byte[] payload) {
        ByteBuffer frame = FrameEncoder.encode(opcode, true, true, MASK_KEY, ByteBuffer.wrap(payload));
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return bytes;
    }

    /** Reads one unmasked frame from the server and drops it. */
    static void skipFrame(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        long n = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        in.skipNBytes(n);
    }
}
