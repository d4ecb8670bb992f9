package dev.wsreactor.conformance;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;

/**
 * The client mode's one change to what a case sends: the cases are written as a client sends (masked, or
 * unmasked to break §5.3), and a server must do the opposite (§5.1), so each frame's masking is flipped: a masked
 * frame leaves unmasked, an unmasked one (a case breaking the rule) leaves masked. It works on the byte stream, as
 * a case may write one frame in many chops: a header cut by a chop waits for the rest of it.
 */
final class MaskFlip {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The header read so far (at most 2 + 8 + 4 octets), while no payload is in progress. */
    private final byte[] header = new byte[14];
    private int headerLength;
    private final byte[] key = new byte[4];
    private long payloadLeft;
    private long payloadAt;

    /** The flipped form of these bytes, given every byte written before them. */
    byte[] flip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        int at = 0;
        while (at < in.length) {
            if (payloadLeft > 0) {
                int run = (int) Math.min(payloadLeft, in.length - at);
                byte[] chunk = new byte[run];
                for (int i = 0; i < run; i++) {
                    chunk[i] = (byte) (in[at + i] ^ key[(int) ((payloadAt + i) & 3)]); // masking is its own inverse
                }
                out.write(chunk, 0, run);
                at += run;
                payloadAt += run;
                payloadLeft -= run;
                continue;
            }
            header[headerLength++] = in[at++];
            if (headerLength >= 2 && headerLength == headerSize()) {
                writeFlippedHeader(out);
            }
        }
        return out.toByteArray();
    }

    private boolean masked() {
        return (header[1] & 0x80) != 0;
    }

    private int extendedSize() {
        int length7 = header[1] & 0x7F;
        return length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    }

    private int headerSize() {
        return 2 + extendedSize() + (masked() ? 4 : 0);
    }

    private void writeFlippedHeader(ByteArrayOutputStream out) {
        int extended = extendedSize();
        long length = header[1] & 0x7F;
        if (extended > 0) {
            length = 0;
            for (int i = 0; i < extended; i++) {
                length = (length << 8) | (header[2 + i] & 0xFF);
            }
        }
        boolean wasMasked = masked();
        if (wasMasked) {
            System.arraycopy(header, 2 + extended, key, 0, 4);
        } else {
            RANDOM.nextBytes(key);
        }
        out.write(header[0]);
        out.write(header[1] ^ 0x80);
        out.write(header, 2, extended);
        if (!wasMasked) {
            out.write(key, 0, 4);
        }
        headerLength = 0;
        payloadLeft = length;
        payloadAt = 0;
    }
}
