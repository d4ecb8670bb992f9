package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * Opens the byte-by-byte reference of {@link Masking} (package-private, the definition the tests check the fast
 * version against) to the masking benchmark. Lives in the protocol's package for that reason only.
 */
public final class MaskingReference {

    private MaskingReference() {
    }

    public static int unmaskBytewise(ByteBuffer buffer, int from, int to, int maskKey, int keyOffset) {
        return Masking.unmaskBytewise(buffer, from, to, maskKey, keyOffset);
    }
}
