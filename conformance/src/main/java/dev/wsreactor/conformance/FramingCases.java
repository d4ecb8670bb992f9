package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;

import dev.wsreactor.protocol.internal.Opcode;
import java.util.Arrays;

/** Group 1: text and binary messages at every length edge of the frame header (RFC 6455 §5.2). */
final class FramingCases {

    private FramingCases() {
    }

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65_535, 65_536};

    static void register(Catalogue catalogue) {
        for (int i = 0; i < LENGTHS.length; i++) {
            int length = LENGTHS[i];
            catalogue.add("1.1." + (i + 1), "Send text message with payload of length " + length + ".",
                    "Receive echo'ed text message (with payload as sent). Clean close with normal code.", c -> {
                        byte[] payload = textOfLength(length);
                        c.send(Opcode.TEXT, payload);
                        c.expectText(payload);
                        c.awaitExpected();
                    });
            catalogue.add("1.2." + (i + 1), "Send binary message with payload of length " + length + ".",
                    "Receive echo'ed binary message (with payload as sent). Clean close with normal code.", c -> {
                        byte[] payload = new byte[length];
                        Arrays.fill(payload, (byte) 0xFE);
                        c.send(Opcode.BINARY, payload);
                        c.expectBinary(payload);
                        c.awaitExpected();
                    });
        }
        catalogue.add("1.1.8", "Send text message with payload of length 65536. Sent out data in chops of 997 octets.",
                "Receive echo'ed text message (with payload as sent). Clean close with normal code.", c -> {
                    byte[] payload = textOfLength(65_536);
                    c.sendFrames(997, frame(Opcode.TEXT, true, payload));
                    c.expectText(payload);
                    c.awaitExpected();
                });
        catalogue.add("1.2.8", "Send binary message with payload of length 65536. Sent out data in chops of 997 "
                + "octets.", "Receive echo'ed binary message (with payload as sent). Clean close with normal code.",
                c -> {
                    byte[] payload = new byte[65_536];
                    Arrays.fill(payload, (byte) 0xFE);
                    c.sendFrames(997, frame(Opcode.BINARY, true, payload));
                    c.expectBinary(payload);
                    c.awaitExpected();
                });
    }

    /** {@code length} octets of {@code unit} over and over (Autobahn's {@code payload_len}). */
    static byte[] repeated(String unit, int length) {
        byte[] bytes = unit.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = bytes[i % bytes.length];
        }
        return payload;
    }

    static byte[] textOfLength(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) '*');
        return payload;
    }
}
