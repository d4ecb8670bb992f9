package dev.wsreactor.protocol.internal.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} pair of RFC 6455 §4.2.2 (step 5.4) and §1.3. */
public final class WebSocketAccept {

    /** The fixed GUID the RFC appends to the key. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.US_ASCII);

    /** One digest per thread (a reactor thread, in a server): looking one up costs more than the hashing. */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    });

    private WebSocketAccept() {
    }

    /** base64(SHA-1(key + GUID)): proves the server read this handshake and speaks WebSocket. */
    public static String compute(String secWebSocketKey) {
        MessageDigest sha1 = SHA1.get();
        sha1.update(secWebSocketKey.getBytes(StandardCharsets.US_ASCII));
        byte[] digest = sha1.digest(GUID_BYTES); // digest() also resets it for the next key
        return Base64.getEncoder().encodeToString(digest);
    }

    /** §4.2.1 item 5: the key is base64 of exactly 16 bytes. */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
