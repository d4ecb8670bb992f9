package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.Utf8Validator;
import org.junit.jupiter.api.Test;

/** RFC 3629 and RFC 6455 §8.1: what is valid UTF-8, and where invalid input is caught. */
class Utf8ValidatorTest {

    private static int failureIndex(String hex) {
        byte[] bytes = Frames.hex(hex);
        return new Utf8Validator().validate(bytes, 0, bytes.length);
    }

    private static boolean validAndComplete(String hex) {
        byte[] bytes = Frames.hex(hex);
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(bytes, 0, bytes.length) < 0 && validator.isComplete();
    }

    @Test
    void acceptsEveryEncodingLengthAndTheBoundaries() {
        assertTrue(validAndComplete("00 7f"));                 // U+0000, U+007F
        assertTrue(validAndComplete("c2 80 df bf"));           // U+0080, U+07FF
        assertTrue(validAndComplete("e0 a0 80 ed 9f bf"));     // U+0800, U+D7FF
        assertTrue(validAndComplete("ee 80 80 ef bf bf"));     // U+E000, U+FFFF
        assertTrue(validAndComplete("f0 90 80 80 f4 8f bf bf")); // U+10000, U+10FFFF
        assertTrue(validAndComplete("ce ba e1 bd b9 cf 83 ce bc ce b5")); // "κόσμε" (Autobahn 6.2.1)
    }

    @Test
    void rejectsOverlongEncodingsAtTheFirstImpossibleByte() {
        assertEquals(0, failureIndex("c0 80"));       // C0 can only start an overlong form
        assertEquals(0, failureIndex("c1 bf"));
        assertEquals(1, failureIndex("e0 80 80"));    // after E0 only A0-BF avoid overlongs
        assertEquals(1, failureIndex("f0 80 80 80")); // after F0 only 90-BF
    }

    @Test
    void rejectsSurrogates() {
        assertEquals(1, failureIndex("ed a0 80"));    // U+D800
        assertEquals(1, failureIndex("ed bf bf"));    // U+DFFF
    }

    @Test
    void rejectsCodePointsAboveU10FFFF() {
        assertEquals(1, failureIndex("f4 90 80 80"));
        assertEquals(0, failureIndex("f5 80 80 80"));
        assertEquals(0, failureIndex("ff"));
    }

    @Test
    void rejectsStrayAndMissingContinuationBytes() {
        assertEquals(0, failureIndex("80"));
        assertEquals(2, failureIndex("41 42 bf"));
        assertEquals(1, failureIndex("c2 41"));
    }

    @Test
    void autobahn6_3_1_failsAtTheFirstInvalidByteInsideAValidPrefix() {
        // "κόσμε" then ED A0 80 (a surrogate) then "edited": the A0 at index 12 is the first impossible byte.
        assertEquals(12, failureIndex("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64"));
    }

    @Test
    void section8_1_aTruncatedSequenceIsIncompleteNotInvalid() {
        Utf8Validator validator = new Utf8Validator();
        byte[] euro = Frames.hex("e2 82 ac");
        assertEquals(-1, validator.validate(euro, 0, 2));
        assertFalse(validator.isComplete(), "a message may not end here");
        assertEquals(-1, validator.validate(euro, 2, 3)); // the next fragment completes it
        assertTrue(validator.isComplete());
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator validator = new Utf8Validator();
        assertEquals(0, validator.validate(Frames.hex("ff"), 0, 1));
        assertTrue(validator.hasFailed());
        assertEquals(0, validator.validate(Frames.hex("41"), 0, 1));
        validator.reset();
        assertEquals(-1, validator.validate(Frames.hex("41"), 0, 1));
    }

    @Test
    void asciiFastPathStillFindsALateInvalidByte() {
        byte[] bytes = new byte[1000];
        java.util.Arrays.fill(bytes, (byte) 'a');
        bytes[777] = (byte) 0xFF;
        assertEquals(777, new Utf8Validator().validate(bytes, 0, bytes.length));
    }
}
