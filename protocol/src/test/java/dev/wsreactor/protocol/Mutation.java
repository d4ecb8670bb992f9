package dev.wsreactor.protocol;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One change to a valid byte stream, to reach the parser's deep states with almost-valid input rather than with
 * random bytes (which fail on their first two): flip one bit, insert a byte, delete one, or cut the stream short.
 */
record Mutation(Kind kind, int at, int value) {

    enum Kind { FLIP, INSERT, DELETE, TRUNCATE }

    static Arbitrary<List<Mutation>> some() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(0, 255)).as(Mutation::new).list().ofMinSize(1).ofMaxSize(3);
    }

    static byte[] applyAll(List<Mutation> mutations, byte[] bytes) {
        byte[] result = bytes;
        for (Mutation mutation : mutations) {
            result = mutation.applyTo(result);
        }
        return result;
    }

    byte[] applyTo(byte[] bytes) {
        if (bytes.length == 0) {
            return kind == Kind.INSERT ? new byte[] {(byte) value} : bytes;
        }
        int i = at % bytes.length;
        return switch (kind) {
            case FLIP -> {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) (1 << (value & 7));
                yield copy;
            }
            case INSERT -> {
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, i);
                longer[i] = (byte) value;
                System.arraycopy(bytes, i, longer, i + 1, bytes.length - i);
                yield longer;
            }
            case DELETE -> {
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, i);
                System.arraycopy(bytes, i + 1, shorter, i, bytes.length - i - 1);
                yield shorter;
            }
            case TRUNCATE -> Arrays.copyOf(bytes, i);
        };
    }
}
