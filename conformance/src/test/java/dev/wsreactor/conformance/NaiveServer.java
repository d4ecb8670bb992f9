package dev.wsreactor.conformance;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately sloppy WebSocket server for testing the harness itself: it echoes every data frame as it came,
 * with no checks at all (reserved bits, opcodes, UTF-8, close codes), and answers Ping and Close. A harness that
 * gives this server OK everywhere would be a harness that cannot fail.
 */
final class NaiveServer implements AutoCloseable {

    private final ServerSocket listener = new ServerSocket(0);
    private final Thread acceptor;

    NaiveServer() throws IOException {
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    Thread connection = new Thread(() -> serve(socket));
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private static void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            String key = head.toString().lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                    .findFirst().orElseThrow().substring(18).trim();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WebSocketAccept.compute(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                int opcode = b0 & 0x0F;
                boolean fin = (b0 & 0x80) != 0;
                int reply = opcode == Opcode.PING.code() ? Opcode.PONG.code() : opcode;
                if (opcode == Opcode.PONG.code()) {
                    continue;
                }
                ByteBuffer frame = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH + payload.length);
                FrameEncoder.writeHeader(frame, reply, fin, 0, false, 0, payload.length);
                frame.put(payload);
                out.write(frame.array(), 0, frame.position());
                if (opcode == Opcode.CLOSE.code()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or sent something this naive server cannot even parse.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
