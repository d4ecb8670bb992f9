package dev.wsreactor.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Masking (RFC 6455 §5.3): payload byte j is XORed with byte (j mod 4) of the 4-byte masking key. XOR is its own
 * inverse, so the same operation masks and unmasks. Works in place on heap or direct buffers, eight bytes at a time.
 */
public final class Masking {

    private Masking() {
    }

    /**
     * XORs the bytes at absolute indices [from, to) in place.
     *
     * @param maskKey the key as read from the wire, big-endian: the first key byte is the most significant
     * @param keyOffset which key byte the first byte meets (0-3): how many payload bytes came before, mod 4, so
     *     that a payload unmasked chunk by chunk as it arrives gives the same result as all at once
     * @return the key offset for the byte after {@code to}
     */
    public static int unmask(ByteBuffer buffer, int from, int to, int maskKey, int keyOffset) {
        int key = Integer.rotateLeft(maskKey, 8 * (keyOffset & 3)); // the key as seen from byte `from`
        int i = from;
        if (to - from >= 8) {
            long wide = (long) key << 32 | key & 0xFFFFFFFFL;
            if (buffer.order() == ByteOrder.LITTLE_ENDIAN) {
                wide = Long.reverseBytes(wide); // getLong reads the first byte into the low bits
            }
            for (; i + 64 <= to; i += 64) { // eight words a turn: the loop's own cost is most of a word's
                buffer.putLong(i, buffer.getLong(i) ^ wide);
                buffer.putLong(i + 8, buffer.getLong(i + 8) ^ wide);
                buffer.putLong(i + 16, buffer.getLong(i + 16) ^ wide);
                buffer.putLong(i + 24, buffer.getLong(i + 24) ^ wide);
                buffer.putLong(i + 32, buffer.getLong(i + 32) ^ wide);
                buffer.putLong(i + 40, buffer.getLong(i + 40) ^ wide);
                buffer.putLong(i + 48, buffer.getLong(i + 48) ^ wide);
                buffer.putLong(i + 56, buffer.getLong(i + 56) ^ wide);
            }
            for (; i + 8 <= to; i += 8) {
                buffer.putLong(i, buffer.getLong(i) ^ wide);
            }
        }
        // The tail, byte by byte; i - from is a multiple of 8 here, so `key` is still aligned with byte i.
        for (int j = 0; i < to; i++, j++) {
            buffer.put(i, (byte) (buffer.get(i) ^ key >>> (24 - 8 * (j & 3))));
        }
        return (keyOffset + (to - from)) & 3;
    }

    /** The plain definition, byte by byte: the reference the fast version is tested and benchmarked against. */
    public static int unmaskBytewise(ByteBuffer buffer, int from, int to, int maskKey, int keyOffset) {
        for (int i = from; i < to; i++) {
            int keyByte = maskKey >>> (24 - 8 * ((keyOffset + i - from) & 3)) & 0xFF;
            buffer.put(i, (byte) (buffer.get(i) ^ keyByte));
        }
        return (keyOffset + (to - from)) & 3;
    }
}
