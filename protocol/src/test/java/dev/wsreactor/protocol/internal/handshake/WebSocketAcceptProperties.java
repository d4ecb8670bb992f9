package dev.wsreactor.protocol.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The key is checked and the accept value computed without temporary arrays; they must agree with the JDK's. */
class WebSocketAcceptProperties {

    @Property(tries = 3000)
    void aKeyIsValidExactlyWhenTheDecoderReadsSixteenBytes(
            @ForAll @StringLength(min = 20, max = 26) @Chars({'A', 'Q', 'z', '0', '+', '/', '=', '-', '_', ' '})
            String key) {
        assertEquals(decodesToSixteen(key), WebSocketAccept.isValidKey(key), key);
    }

    @Property(tries = 1000)
    void keysOfTwentyTwoBase64CharactersAndPadding(@ForAll byte[] sixteen) {
        byte[] bytes = Arrays.copyOf(sixteen, 16);
        String key = Base64.getEncoder().encodeToString(bytes);
        assertTrue(WebSocketAccept.isValidKey(key));
        // The last character before the padding holds 4 unused bits: the JDK does not check them, nor do we.
        String unusedBitsSet = key.substring(0, 21) + (key.charAt(21) == 'B' ? 'C' : 'B') + "==";
        assertEquals(decodesToSixteen(unusedBitsSet), WebSocketAccept.isValidKey(unusedBitsSet));
    }

    @Property(tries = 1000)
    void theAcceptValueIsBase64OfTheSha1OfKeyAndGuid(@ForAll @StringLength(max = 40) String key) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        String expected = Base64.getEncoder().encodeToString(
                sha1.digest((key + WebSocketAccept.GUID).getBytes(StandardCharsets.US_ASCII)));
        assertEquals(expected, WebSocketAccept.compute(key));
    }

    @Example
    void rfc6455_1_3_sampleKey() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketAccept.compute("dGhlIHNhbXBsZSBub25jZQ=="));
        assertFalse(WebSocketAccept.isValidKey(null));
    }

    private static boolean decodesToSixteen(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }
}
