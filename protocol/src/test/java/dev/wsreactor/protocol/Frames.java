package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.internal.Masking;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds raw frames byte by byte for tests, including frames a peer must refuse. */
final class Frames {

    static final int MASK = 0x37FA213D; // the key of RFC 6455 §5.7's examples

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    static Frames start() {
        return new Frames();
    }

    /** A frame as a client sends it: masked (§5.3). */
    Frames client(int opcode, boolean fin, int rsv, byte[] payload) {
        return frame(opcode, fin, rsv, true, payload);
    }

    Frames client(Opcode opcode, boolean fin, byte[] payload) {
        return client(opcode.code(), fin, 0, payload);
    }

    Frames clientText(String text) {
        return client(Opcode.TEXT, true, utf8(text));
    }

    Frames clientClose(int code, String reason) {
        byte[] r = utf8(reason);
        ByteBuffer payload = ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r);
        return client(Opcode.CLOSE, true, payload.array());
    }

    /** A frame as a server sends it: unmasked. */
    Frames server(Opcode opcode, boolean fin, byte[] payload) {
        return frame(opcode.code(), fin, 0, false, payload);
    }

    Frames frame(int opcode, boolean fin, int rsv, boolean masked, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);
        FrameEncoder.writeHeader(header, opcode, fin, rsv, masked, MASK, payload.length);
        bytes.write(header.array(), 0, header.position());
        ByteBuffer body = ByteBuffer.wrap(payload.clone());
        if (masked) {
            Masking.unmask(body, 0, payload.length, MASK, 0);
        }
        bytes.write(body.array(), 0, payload.length);
        return this;
    }

    Frames raw(int... values) {
        for (int v : values) {
            bytes.write(v);
        }
        return this;
    }

    Frames raw(byte[] values) {
        bytes.write(values, 0, values.length);
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
