package dev.wsreactor.protocol.internal.handshake;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} pair of RFC 6455 §4.2.2 (step 5.4) and §1.3. */
public final class WebSocketAccept {

    /** The fixed GUID the RFC appends to the key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.US_ASCII);

    /** A digest and its scratch arrays, one set per thread (a reactor thread, in a server). */
    private static final class Scratch {
        final MessageDigest sha1;
        final byte[] digest = new byte[20];
        final byte[] base64 = new byte[28];

        Scratch() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-1", e);
            }
        }
    }

    /** Looking a digest up costs more than the hashing, and a handshake should leave little garbage. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private WebSocketAccept() {
    }

    /** base64(SHA-1(key + GUID)): proves the server read this handshake and speaks WebSocket. */
    public static String compute(String secWebSocketKey) {
        Scratch scratch = SCRATCH.get();
        MessageDigest sha1 = scratch.sha1;
        if (isAscii(secWebSocketKey)) {
            for (int i = 0; i < secWebSocketKey.length(); i++) {
                sha1.update((byte) secWebSocketKey.charAt(i)); // US-ASCII's bytes, without an array
            }
        } else {
            sha1.update(secWebSocketKey.getBytes(StandardCharsets.US_ASCII));
        }
        sha1.update(GUID_BYTES);
        try {
            sha1.digest(scratch.digest, 0, 20); // also resets it for the next key
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 gives 20 bytes", e);
        }
        int length = Base64.getEncoder().encode(scratch.digest, scratch.base64);
        return new String(scratch.base64, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * §4.2.1 item 5: the key is base64 of exactly 16 bytes: 22 characters of the alphabet and "==" (what
     * {@link Base64.Decoder} accepts as 16 bytes, checked in place rather than decoded into an array).
     */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24 || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            if (!isBase64(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
