package dev.wsreactor.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding (RFC 3986 §2.1) as UTF-8, with one rule for malformed input: a '%' without two hex digits, or
 * bytes that are not UTF-8, leave the whole text as it was sent, undecoded, rather than fail.
 */
public final class PercentDecoder {

    private PercentDecoder() {
    }

    /**
     * Decodes a path segment: '+' stays a plus.
     *
     * @param text the segment as sent
     * @return the decoded text, or {@code text} itself when its encoding is malformed
     */
    public static String decodePathSegment(String text) {
        return decode(text, false);
    }

    /**
     * Decodes a query name or value ({@code application/x-www-form-urlencoded}): '+' is a space.
     *
     * @param text the name or value as sent
     * @return the decoded text, or {@code text} itself when its encoding is malformed
     */
    public static String decodeQueryComponent(String text) {
        return decode(text, true);
    }

    private static String decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return text;
        }
        ByteBuffer bytes = ByteBuffer.allocate(text.length()); // never longer than the text: %XX is one byte
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+' && plusIsSpace) {
                bytes.put((byte) ' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (low < 0) {
                    return text;
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else if (c <= 0xFF) {
                bytes.put((byte) c); // the head was read as ISO-8859-1: one char per byte sent
            } else {
                return text;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip()).toString();
        } catch (CharacterCodingException notUtf8) {
            return text;
        }
    }
}
