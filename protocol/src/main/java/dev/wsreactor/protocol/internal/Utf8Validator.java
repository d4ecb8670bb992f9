package dev.wsreactor.protocol.internal;

import java.nio.ByteBuffer;

/**
 * An incremental, strict UTF-8 validator (RFC 3629; RFC 6455 §8.1), fed any split of the bytes across calls and
 * across the fragments of a message. It fails at the first byte that cannot continue any valid UTF-8 string, so a
 * bad text message is refused without waiting for the rest of it.
 *
 * <p>It is Björn Höhrmann's DFA: each byte maps to one of 12 character classes, and a (state, class) pair maps to
 * the next state. States are pre-multiplied by 12 so that {@code state + class} indexes the transition table.
 * {@code ACCEPT} means "between code points"; {@code REJECT} is final.
 */
public final class Utf8Validator {

    private static final int ACCEPT = 0;
    private static final int REJECT = 12;

    /** Byte to character class: 0 ASCII, 1/9/7 continuation ranges 80-8F/90-9F/A0-BF, the rest lead bytes. */
    private static final byte[] CLASS = new byte[256];

    /**
     * (state + class) to state. Rows are states 0, 12 (reject), 24 (one continuation byte left), 36 (two left),
     * 48 (after E0: A0-BF only, no overlongs), 60 (after ED: 80-9F only, no surrogates), 72 (after F0: 90-BF only),
     * 84 (after F1-F3), 96 (after F4: 80-8F only, nothing above U+10FFFF).
     */
    private static final byte[] TRANSITION = {
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72,
        12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12,
        12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12,
        12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    };

    static {
        fill(0x00, 0x7F, 0);
        fill(0x80, 0x8F, 1);
        fill(0x90, 0x9F, 9);
        fill(0xA0, 0xBF, 7);
        fill(0xC0, 0xC1, 8); // overlong two-byte leads
        fill(0xC2, 0xDF, 2);
        fill(0xE0, 0xE0, 10);
        fill(0xE1, 0xEC, 3);
        fill(0xED, 0xED, 4);
        fill(0xEE, 0xEF, 3);
        fill(0xF0, 0xF0, 11);
        fill(0xF1, 0xF3, 6);
        fill(0xF4, 0xF4, 5);
        fill(0xF5, 0xFF, 8); // would encode above U+10FFFF
    }

    private static void fill(int from, int to, int characterClass) {
        for (int b = from; b <= to; b++) {
            CLASS[b] = (byte) characterClass;
        }
    }

    private static final long HIGH_BITS = 0x8080808080808080L;

    private int state = ACCEPT;

    /**
     * Feeds the bytes at absolute indices [from, to) of {@code buffer} without moving its position.
     *
     * @return -1 if the bytes so far are a valid prefix of UTF-8, else the absolute index of the first byte that is
     *     not (after a failure, every later call returns {@code from})
     */
    public int validate(ByteBuffer buffer, int from, int to) {
        if (state == REJECT) {
            return from;
        }
        int s = state;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                // Fast path: skip runs of ASCII eight bytes at a time.
                while (i + 8 <= to && (buffer.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == to) {
                    break;
                }
            }
            s = TRANSITION[s + CLASS[buffer.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /** The same as {@link #validate(ByteBuffer, int, int)} over an array. */
    public int validate(byte[] bytes, int from, int to) {
        return validate(ByteBuffer.wrap(bytes), from, to);
    }

    /** Whether no code point is left unfinished: at the end of a text message this must be true (§8.1). */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    public boolean hasFailed() {
        return state == REJECT;
    }

    /** Forgets everything: for the next message. */
    public void reset() {
        state = ACCEPT;
    }
}
