package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;

import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Groups 9 and 10: big messages (up to 16 MiB), messages in many frames or chops, many small round trips, and
 * automatic fragmentation. The duration of each case is in the report, as Autobahn's are.
 */
final class LimitCases {

    private LimitCases() {
    }

    private static final Duration LONG = Duration.ofSeconds(100);
    private static final int MIB = 1 << 20;

    static void register(Catalogue catalogue) {
        int[] sizes = {64 * 1024, 256 * 1024, MIB, 4 * MIB, 8 * MIB, 16 * MIB};
        for (int i = 0; i < sizes.length; i++) {
            int size = sizes[i];
            catalogue.add("9.1." + (i + 1), "Send text message message with payload of length " + describe(size)
                    + ".", "Receive echo'ed text message (with payload as sent).", LONG, c -> {
                        byte[] payload = FramingCases.textOfLength(size);
                        c.send(Opcode.TEXT, payload);
                        c.expectText(payload);
                        c.awaitExpected();
                    });
            catalogue.add("9.2." + (i + 1), "Send binary message message with payload of length " + describe(size)
                    + ".", "Receive echo'ed binary message (with payload as sent).", LONG, c -> {
                        byte[] payload = binaryOfLength(size);
                        c.send(Opcode.BINARY, payload);
                        c.expectBinary(payload);
                        c.awaitExpected();
                    });
        }
        int[] fragmentSizes = {64, 256, 1024, 4096, 16384, 65536, 256 * 1024, MIB, 4 * MIB};
        for (int i = 0; i < fragmentSizes.length; i++) {
            int fragment = fragmentSizes[i];
            catalogue.add("9.3." + (i + 1), "Send fragmented text message message with message payload of length "
                    + "4M. Sent out in fragments of " + describe(fragment) + ".", "Receive echo'ed text message "
                    + "(with payload as sent).", LONG, c -> {
                        byte[] payload = FramingCases.textOfLength(4 * MIB);
                        sendFragmented(c, Opcode.TEXT, payload, fragment);
                        c.expectText(payload);
                        c.awaitExpected();
                    });
            catalogue.add("9.4." + (i + 1), "Send fragmented binary message message with message payload of length "
                    + "4M. Sent out in fragments of " + describe(fragment) + ".", "Receive echo'ed binary message "
                    + "(with payload as sent).", LONG, c -> {
                        byte[] payload = binaryOfLength(4 * MIB);
                        sendFragmented(c, Opcode.BINARY, payload, fragment);
                        c.expectBinary(payload);
                        c.awaitExpected();
                    });
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        for (int i = 0; i < chops.length; i++) {
            int chop = chops[i];
            catalogue.add("9.5." + (i + 1), "Send text message message with payload of length 1M. Sent out data in "
                    + "chops of " + chop + " octets.", "Receive echo'ed text message (with payload as sent).", LONG,
                    c -> {
                        byte[] payload = FramingCases.textOfLength(MIB);
                        c.sendFrames(chop, frame(Opcode.TEXT, true, payload));
                        c.expectText(payload);
                        c.awaitExpected();
                    });
            catalogue.add("9.6." + (i + 1), "Send binary message message with payload of length 1M. Sent out data in "
                    + "chops of " + chop + " octets.", "Receive echo'ed binary message (with payload as sent).", LONG,
                    c -> {
                        byte[] payload = binaryOfLength(MIB);
                        c.sendFrames(chop, frame(Opcode.BINARY, true, payload));
                        c.expectBinary(payload);
                        c.awaitExpected();
                    });
        }
        int[] smallSizes = {0, 16, 64, 256, 1024, 4096};
        for (int i = 0; i < smallSizes.length; i++) {
            int size = smallSizes[i];
            catalogue.add("9.7." + (i + 1), "Send 1000 text messages of payload size " + size + " to measure "
                    + "implementation/network RTT (round trip time) / latency.", "Receive echo'ed text messages "
                    + "(with payload as sent). Timeout case after 60 secs.", LONG,
                    c -> roundTrips(c, Opcode.TEXT, FramingCases.textOfLength(size)));
            catalogue.add("9.8." + (i + 1), "Send 1000 binary messages of payload size " + size + " to measure "
                    + "implementation/network RTT (round trip time) / latency.", "Receive echo'ed binary messages "
                    + "(with payload as sent). Timeout case after 60 secs.", LONG,
                    c -> roundTrips(c, Opcode.BINARY, binaryOfLength(size)));
        }
        catalogue.add("10.1.1", "Send text message with payload of length 65536 auto-fragmented with "
                + "autoFragmentSize = 1300.", "Receive echo'ed text message (with payload as sent and transmitted "
                + "frame counts and sizes as sent). Clean close with normal code.", Duration.ofSeconds(10), c -> {
                    byte[] payload = FramingCases.textOfLength(65_536);
                    sendFragmented(c, Opcode.TEXT, payload, 1300);
                    c.expectText(payload);
                    c.awaitExpected();
                });
    }

    private static void sendFragmented(CaseContext c, Opcode opcode, byte[] payload, int fragment)
            throws IOException {
        int count = (payload.length + fragment - 1) / fragment;
        byte[][] frames = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(payload, i * fragment, Math.min(payload.length, (i + 1) * fragment));
            frames[i] = frame(i == 0 ? opcode : Opcode.CONTINUATION, i == count - 1, part);
        }
        c.sendFrames(CaseContext.ONE_CHOP, frames);
    }

    private static void roundTrips(CaseContext c, Opcode opcode, byte[] payload) throws IOException {
        for (int i = 0; i < 1000; i++) {
            c.send(opcode, payload);
            if (opcode == Opcode.TEXT) {
                c.expectText(payload);
            } else {
                c.expectBinary(payload);
            }
            c.awaitExpected();
        }
    }

    private static byte[] binaryOfLength(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 0xFE);
        return payload;
    }

    private static String describe(int size) {
        if (size >= MIB && size % MIB == 0) {
            return size / MIB + "M";
        }
        if (size >= 1024 && size % 1024 == 0) {
            return size / 1024 + "k";
        }
        return Integer.toString(size);
    }
}
