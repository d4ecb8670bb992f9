package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.internal.Masking;
import dev.wsreactor.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds the input the benchmarks feed: masked frames as a client sends them, in heap or direct buffers. */
final class ClientFrames {

    /**
     * Every byte of this key is below 0x80, so ASCII XOR the key is still ASCII. Decoding unmasks in place, so a
     * benchmark that decodes the same buffer again sees the payload alternately masked and plain: with this key
     * and an ASCII payload both are valid UTF-8, and the buffer never needs refilling between invocations.
     */
    static final int MASK_KEY = 0x375A1C66;

    private ClientFrames() {
    }

    static ByteBuffer allocate(String kind, int capacity) {
        switch (kind) {
            case "heap":
                return ByteBuffer.allocate(capacity);
            case "direct":
                return ByteBuffer.allocateDirect(capacity);
            default:
                throw new IllegalArgumentException("buffer kind must be heap or direct: " + kind);
        }
    }

    /** The bytes of one final, masked frame carrying {@code payload}. */
    static int frameLength(int payloadLength) {
        return FrameEncoder.headerLength(payloadLength, true) + payloadLength;
    }

    /** Writes one final, masked frame at {@code dst}'s position. */
    static void putMasked(ByteBuffer dst, Opcode opcode, byte[] payload) {
        putMasked(dst, opcode, 0, payload);
    }

    /** Writes one final, masked frame with these RSV bits (RSV1 for a compressed message) at {@code dst}'s position. */
    static void putMasked(ByteBuffer dst, Opcode opcode, int rsv, byte[] payload) {
        FrameEncoder.writeHeader(dst, opcode, true, rsv, true, MASK_KEY, payload.length);
        int start = dst.position();
        dst.put(payload);
        Masking.unmask(dst, start, dst.position(), MASK_KEY, 0);
    }

    /** {@code count} masked frames, back to back, ready to read. */
    static ByteBuffer masked(String kind, Opcode opcode, byte[] payload, int count) {
        ByteBuffer buffer = allocate(kind, count * frameLength(payload.length));
        for (int i = 0; i < count; i++) {
            putMasked(buffer, opcode, payload);
        }
        return buffer.flip();
    }

    /** {@code length} bytes of printable ASCII. */
    static byte[] ascii(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /** Splits {@code whole} into {@code pieces} read-only views of nearly equal length. */
    static ByteBuffer[] split(byte[] whole, int pieces) {
        ByteBuffer[] parts = new ByteBuffer[pieces];
        int from = 0;
        for (int i = 0; i < pieces; i++) {
            int to = (int) ((long) whole.length * (i + 1) / pieces);
            parts[i] = ByteBuffer.wrap(Arrays.copyOfRange(whole, from, to));
            from = to;
        }
        return parts;
    }
}
