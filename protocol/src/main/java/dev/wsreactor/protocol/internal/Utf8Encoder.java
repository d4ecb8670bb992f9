package dev.wsreactor.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes Java text to UTF-8 straight into a buffer, and decodes validated UTF-8 to a String, without intermediate
 * arrays where it can. An unpaired surrogate becomes '?', as {@code String.getBytes(UTF_8)} does.
 */
public final class Utf8Encoder {

    private Utf8Encoder() {
    }

    /** How many bytes {@link #encode} will write for {@code text}. */
    public static int encodedLength(CharSequence text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 0; // replaced by '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Writes {@code text} as UTF-8 at {@code dst}'s position, which advances by {@link #encodedLength}. */
    public static void encode(CharSequence text, ByteBuffer dst) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                dst.put((byte) c);
            } else if (c < 0x800) {
                dst.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                dst.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                        .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                dst.put((byte) '?');
            } else {
                dst.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
            }
        }
    }

    /** Decodes UTF-8 that has already been validated, at absolute indices [from, to); the position is untouched. */
    public static String decode(ByteBuffer buffer, int from, int to) {
        int length = to - from;
        if (buffer.hasArray()) {
            return new String(buffer.array(), buffer.arrayOffset() + from, length, StandardCharsets.UTF_8);
        }
        // A direct buffer: copy into a per-thread scratch array, so decoding allocates only the String itself.
        byte[] scratch = length <= MAX_SCRATCH ? scratch(length) : new byte[length];
        buffer.get(from, scratch, 0, length);
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }

    /** Messages up to this size are decoded through the scratch array; bigger ones get their own. */
    private static final int MAX_SCRATCH = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);

    private static byte[] scratch(int length) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length < length) {
            scratch = new byte[Math.min(MAX_SCRATCH, Math.max(length, scratch.length * 2))];
            SCRATCH.set(scratch);
        }
        return scratch;
    }
}
