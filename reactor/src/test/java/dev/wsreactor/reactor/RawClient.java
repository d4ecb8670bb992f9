package dev.wsreactor.reactor;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A client on a plain socket that writes exactly the bytes a test gives it: malformed handshakes, frames that
 * break the rules, requests that never finish. Reads block with a timeout, so a test fails instead of hanging.
 */
final class RawClient implements AutoCloseable {

    static final String UPGRADE_REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /** A frame the server sent. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawClient(int port) throws IOException {
        this(connected(port));
    }

    /** Over a socket already connected (an SSLSocket, for one). */
    RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket connected(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Connects and completes a valid opening handshake. */
    static RawClient open(int port) throws IOException {
        return open(new RawClient(port));
    }

    /** Completes a valid opening handshake over a connected socket. */
    static RawClient open(Socket connected) throws IOException {
        return open(new RawClient(connected));
    }

    private static RawClient open(RawClient client) throws IOException {
        client.write(UPGRADE_REQUEST);
        String head = client.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new AssertionError("handshake failed: " + head);
        }
        return client;
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one masked frame, as a client must (§5.3). */
    void writeFrame(Opcode opcode, boolean fin, byte[] payload) throws IOException {
        writeFrame(opcode.code(), fin, 0, true, payload);
    }

    void writeFrame(int opcodeBits, boolean fin, int rsv, boolean masked, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH + payload.length);
        int key = 0x37fa213d;
        FrameEncoder.writeHeader(frame, opcodeBits, fin, rsv, masked, key, payload.length);
        for (int i = 0; i < payload.length; i++) {
            int shift = 24 - 8 * (i & 3);
            frame.put((byte) (payload[i] ^ (masked ? key >>> shift : 0)));
        }
        write(java.util.Arrays.copyOf(frame.array(), frame.position()));
    }

    /** The HTTP response head, up to and including the blank line. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** What arrived before the server closed the connection, whether with a FIN or a reset. */
    String readUntilClosed() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            for (int b; (b = in.read()) >= 0; ) {
                received.write(b);
            }
        } catch (java.net.SocketException reset) {
            // A reset after the bytes: they were received all the same.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes the connection. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new AssertionError("the server sent a masked frame (§5.1 forbids it)");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** Whether the server closed TCP: read returns end of stream (not a timeout). */
    boolean serverClosedTcp() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
