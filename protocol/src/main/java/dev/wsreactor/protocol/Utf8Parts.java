package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.Utf8Encoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns a text message's bytes, already validated as they came (§8.1), into parts that never split a code point:
 * the bytes of a sequence that a chunk ends inside of (at most three) are held back and put in front of the next
 * chunk. What a streaming listener hears of a text message is therefore always whole characters.
 */
final class Utf8Parts {

    private final byte[] held = new byte[3];
    private int heldCount;

    /** Forgets what was held back: a new message begins. */
    void reset() {
        heldCount = 0;
    }

    /**
     * The characters that the held bytes and {@code chunk}'s remaining bytes complete; the chunk is consumed.
     *
     * @param last whether the message ends with this chunk: then nothing may be left over (the validator saw to it)
     */
    String decode(ByteBuffer chunk, boolean last) {
        int from = chunk.position();
        int to = chunk.limit();
        int total = heldCount + (to - from);
        int whole = total - (last ? 0 : incompleteTail(chunk, from, to)); // bytes of complete characters
        String part;
        if (heldCount == 0) {
            part = Utf8Encoder.decode(chunk, from, from + whole);
        } else {
            // The held bytes, then the chunk's, in two bulk copies. The held bytes begin a sequence: either the
            // chunk completes it (whole covers them all) or nothing is whole yet (whole is 0).
            byte[] joined = new byte[whole];
            int fromHeld = Math.min(heldCount, whole);
            System.arraycopy(held, 0, joined, 0, fromHeld);
            chunk.get(from, joined, fromHeld, whole - fromHeld);
            part = new String(joined, StandardCharsets.UTF_8);
        }
        for (int i = whole; i < total; i++) {
            held[i - whole] = byteAt(chunk, from, i); // forwards: each held byte is read before it is overwritten
        }
        heldCount = total - whole;
        chunk.position(to);
        return part;
    }

    /**
     * How many bytes at the end of held + chunk belong to a sequence that is not complete yet: found from the last
     * lead byte among the last three, whose high bits say how long its sequence is (RFC 3629 §3).
     */
    private int incompleteTail(ByteBuffer chunk, int from, int to) {
        int total = heldCount + (to - from);
        for (int back = 1; back <= Math.min(3, total); back++) {
            int b = byteAt(chunk, from, total - back) & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: its lead is further back
            }
            int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            return length > back ? back : 0;
        }
        return 0;
    }

    /** The byte at {@code index} of held + chunk. */
    private byte byteAt(ByteBuffer chunk, int from, int index) {
        return index < heldCount ? held[index] : chunk.get(from + index - heldCount);
    }
}
