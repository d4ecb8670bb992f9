package dev.wsreactor.protocol.internal;

import dev.wsreactor.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * Writes frame headers (RFC 6455 §5.2): FIN, RSV and opcode, the 7-, 16- or 64-bit payload length, and the
 * masking key. Payload bytes are written by the caller straight after the header (see {@code OutboundQueue});
 * a client must then mask them with the key this class chose (§5.3).
 */
public final class FrameEncoder {

    /** The longest header: 2 bytes, an 8-byte length and a 4-byte masking key. */
    public static final int MAX_HEADER_LENGTH = 14;

    private FrameEncoder() {
    }

    /** How many header bytes a frame with this payload length takes. */
    public static int headerLength(long payloadLength, boolean masked) {
        int length = payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /**
     * Writes a header at {@code dst}'s position, in the shortest length form (§5.2). This low-level form takes
     * the raw 4-bit opcode and any RSV bits, so that test tools can also write frames a peer must refuse.
     *
     * @param maskKey the masking key, written only when {@code masked}
     */
    public static void writeHeader(ByteBuffer dst, int opcodeBits, boolean fin, int rsv, boolean masked, int maskKey,
            long payloadLength) {
        dst.put((byte) ((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcodeBits & 0xF)));
        int maskBit = masked ? 0x80 : 0;
        if (payloadLength <= 125) {
            dst.put((byte) (maskBit | (int) payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            dst.put((byte) (maskBit | 126));
            dst.putShort((short) payloadLength);
        } else {
            dst.put((byte) (maskBit | 127));
            dst.putLong(payloadLength);
        }
        if (masked) {
            dst.putInt(maskKey);
        }
    }

    /** Writes the header of a well-formed frame. */
    public static void writeHeader(ByteBuffer dst, Opcode opcode, boolean fin, int rsv, boolean masked, int maskKey,
            long payloadLength) {
        writeHeader(dst, opcode.code(), fin, rsv, masked, maskKey, payloadLength);
    }

    /**
     * Encodes one complete frame into a new buffer, ready to read. For tools and tests; the connection encodes
     * into its pooled {@code OutboundQueue} instead.
     */
    public static ByteBuffer encode(Opcode opcode, boolean fin, boolean masked, int maskKey, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(headerLength(length, masked) + length);
        writeHeader(frame, opcode, fin, 0, masked, maskKey, length);
        int start = frame.position();
        frame.put(payload.duplicate());
        if (masked) {
            Masking.unmask(frame, start, frame.position(), maskKey, 0);
        }
        return frame.flip();
    }
}
