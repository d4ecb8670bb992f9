package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * A raw DEFLATE decoder (RFC 1951) for tests that need to see inside a stream: it inflates and records the longest
 * back-reference distance, and whether any reference reached before the start of the stream it was given. The
 * JDK's {@code Inflater} cannot tell either, and a window limit (RFC 7692 §7.1.2) is a limit on exactly that.
 */
final class DeflateDistances {

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
        4, 5, 5, 5, 5, 0};
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
        10, 10, 11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private final byte[] in;
    private int bitPosition;
    private int produced;
    int longestDistance;
    boolean reachedBeforeStart;

    private DeflateDistances(byte[] in) {
        this.in = in;
    }

    /** Reads one permessage-deflate message (its tail removed, as on the wire) up to its closing empty block. */
    static DeflateDistances ofMessage(ByteBuffer compressed) {
        byte[] bytes = new byte[compressed.remaining() + 4];
        compressed.duplicate().get(bytes, 0, bytes.length - 4);
        bytes[bytes.length - 2] = (byte) 0xFF;
        bytes[bytes.length - 1] = (byte) 0xFF;
        DeflateDistances stream = new DeflateDistances(bytes);
        stream.run();
        return stream;
    }

    private void run() {
        while (bitPosition < in.length * 8L - 7) {
            boolean last = bits(1) == 1;
            switch (bits(2)) {
                case 0 -> stored();
                case 1 -> huffman(fixedLiterals(), fixedDistances());
                case 2 -> dynamic();
                default -> throw new IllegalStateException("reserved block type");
            }
            if (last) {
                return;
            }
        }
    }

    private void stored() {
        bitPosition = (bitPosition + 7) & ~7;
        int length = bits(16);
        bits(16); // its one's complement
        produced += length;
        bitPosition += length * 8;
    }

    private void dynamic() {
        int literals = bits(5) + 257;
        int distances = bits(5) + 1;
        int codeLengthCodes = bits(4) + 4;
        int[] codeLengthLengths = new int[19];
        for (int i = 0; i < codeLengthCodes; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Code codeLengths = new Code(codeLengthLengths);
        int[] lengths = new int[literals + distances];
        for (int i = 0; i < lengths.length; ) {
            int symbol = codeLengths.decode(this);
            if (symbol < 16) {
                lengths[i++] = symbol;
            } else {
                int repeat = symbol == 16 ? 3 + bits(2) : symbol == 17 ? 3 + bits(3) : 11 + bits(7);
                int value = symbol == 16 ? lengths[i - 1] : 0;
                for (int r = 0; r < repeat; r++) {
                    lengths[i++] = value;
                }
            }
        }
        huffman(new Code(java.util.Arrays.copyOf(lengths, literals)),
                new Code(java.util.Arrays.copyOfRange(lengths, literals, lengths.length)));
    }

    private void huffman(Code literalCode, Code distanceCode) {
        while (true) {
            int symbol = literalCode.decode(this);
            if (symbol < 256) {
                produced++;
            } else if (symbol == 256) {
                return;
            } else {
                int length = LENGTH_BASE[symbol - 257] + bits(LENGTH_EXTRA[symbol - 257]);
                int distanceSymbol = distanceCode.decode(this);
                int distance = DISTANCE_BASE[distanceSymbol] + bits(DISTANCE_EXTRA[distanceSymbol]);
                longestDistance = Math.max(longestDistance, distance);
                reachedBeforeStart |= distance > produced;
                produced += length;
            }
        }
    }

    private int bits(int count) {
        int value = 0;
        for (int i = 0; i < count; i++, bitPosition++) {
            value |= ((in[bitPosition >>> 3] >>> (bitPosition & 7)) & 1) << i;
        }
        return value;
    }

    private static Code fixedLiterals() {
        int[] lengths = new int[288];
        for (int i = 0; i < 288; i++) {
            lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        return new Code(lengths);
    }

    private static Code fixedDistances() {
        int[] lengths = new int[30];
        java.util.Arrays.fill(lengths, 5);
        return new Code(lengths);
    }

    /** A canonical Huffman code (RFC 1951 §3.2.2), decoded a bit at a time. */
    private static final class Code {
        private final int[] counts = new int[16];
        private final int[] symbols;

        Code(int[] lengths) {
            symbols = new int[lengths.length];
            for (int length : lengths) {
                counts[length]++;
            }
            counts[0] = 0;
            int[] offsets = new int[16];
            for (int i = 1; i < 16; i++) {
                offsets[i] = offsets[i - 1] + counts[i - 1];
            }
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                if (lengths[symbol] != 0) {
                    symbols[offsets[lengths[symbol]]++] = symbol;
                }
            }
        }

        int decode(DeflateDistances stream) {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int length = 1; length < 16; length++) {
                code |= stream.bits(1);
                int count = counts[length];
                if (code - first < count) {
                    return symbols[index + code - first];
                }
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            throw new IllegalStateException("bad Huffman code");
        }
    }
}
