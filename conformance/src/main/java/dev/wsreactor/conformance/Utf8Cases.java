package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;
import static dev.wsreactor.conformance.CaseContext.utf8;

import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Group 6: UTF-8 in text messages (RFC 6455 §8.1): valid text in every kind of fragment, invalid text failing
 * with 1007, as early as possible, and Markus Kuhn's UTF-8 decoder stress test (6.7 to 6.23).
 */
final class Utf8Cases {

    private Utf8Cases() {
    }

    private static final byte[] KOSME = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5"); // κόσμε
    private static final String HELLO_UTF8 = "Hello-µ@ßöäüàá-UTF-8!!";
    /** How long a server may take to fail a connection "immediately" in the fail-fast cases. */
    private static final Duration FAIL_FAST_WINDOW = Duration.ofSeconds(1);
    /** A 6.4 case waits twice, then gives the server a last second. */
    private static final Duration FAIL_FAST_CASE = Duration.ofSeconds(5);
    /** Autobahn's killAfter for the samples of 6.5 to 6.23. */
    private static final Duration SAMPLE_KILL = Duration.ofMillis(500);

    static void register(Catalogue catalogue) {
        catalogue.add("6.1.1", "Send text message of length 0.", "A message is echo'ed back to us (with empty "
                + "payload).", c -> {
                    c.send(Opcode.TEXT, new byte[0]);
                    c.expectText("");
                    c.awaitExpected();
                });
        catalogue.add("6.1.2", "Send fragmented text message, 3 fragments each of length 0.", "A message is echo'ed "
                + "back to us (with empty payload).", c -> {
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.TEXT, false, new byte[0]),
                            frame(Opcode.CONTINUATION, false, new byte[0]),
                            frame(Opcode.CONTINUATION, true, new byte[0]));
                    c.expectText("");
                    c.awaitExpected();
                });
        catalogue.add("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle "
                + "non-empty.", "A message is echo'ed back to us (with payload = payload of middle fragment).", c -> {
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.TEXT, false, new byte[0]),
                            frame(Opcode.CONTINUATION, false, utf8("middle frame payload")),
                            frame(Opcode.CONTINUATION, true, new byte[0]));
                    c.expectText("middle frame payload");
                    c.awaitExpected();
                });
        catalogue.add("6.2.1", "Send a valid UTF-8 text message in one fragment.", "The message is echo'ed back to "
                + "us.", c -> {
                    c.sendText(HELLO_UTF8);
                    c.expectText(HELLO_UTF8);
                    c.awaitExpected();
                });
        catalogue.add("6.2.2", "Send a valid UTF-8 text message in two fragments, fragmented on UTF-8 code point "
                + "boundary.", "The message is echo'ed back to us.", c -> {
                    byte[] all = utf8(HELLO_UTF8);
                    int cut = utf8("Hello-µ@ßöä").length;
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.TEXT, false, Arrays.copyOf(all, cut)),
                            frame(Opcode.CONTINUATION, true, Arrays.copyOfRange(all, cut, all.length)));
                    c.expectText(HELLO_UTF8);
                    c.awaitExpected();
                });
        catalogue.add("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending "
                + "on positions which are not code point ends.", "The message is echo'ed back to us.", c -> {
                    sendInOneOctetFrames(c, utf8(HELLO_UTF8));
                    c.expectText(HELLO_UTF8);
                    c.awaitExpected();
                });
        catalogue.add("6.2.4", "Send a valid UTF-8 text message in fragments of 1 octet, resulting in frames ending "
                + "on positions which are not code point ends. MESSAGE: κόσμε", "The message is echo'ed back to us.",
                c -> {
                    sendInOneOctetFrames(c, KOSME);
                    c.expectText(KOSME);
                    c.awaitExpected();
                });
        byte[] invalid = concat(KOSME, HexFormat.of().parseHex("eda080"), utf8("edited"));
        catalogue.add("6.3.1", "Send invalid UTF-8 text message unfragmented. MESSAGE: "
                + HexFormat.of().formatHex(invalid), "The connection is failed immediately, since the payload is not "
                + "valid UTF-8.", c -> {
                    c.send(Opcode.TEXT, invalid);
                    c.expectFail(1007);
                });
        catalogue.add("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet. MESSAGE: "
                + HexFormat.of().formatHex(invalid), "The connection is failed immediately, since the payload is not "
                + "valid UTF-8.", c -> {
                    sendInOneOctetFrames(c, invalid);
                    c.expectFail(1007);
                });
        registerFailFast(catalogue);

        List<String[]> samples = new ArrayList<>();
        samples.add(new String[] {"6.5", "cebae1bdb9cf83cebcceb5", "f48fbfbf", "7f", "efbfbd", "f09f8e9f"});
        String[] kosmePrefixes = new String[12];
        kosmePrefixes[0] = "6.6";
        for (int n = 1; n <= 11; n++) {
            kosmePrefixes[n] = HexFormat.of().formatHex(KOSME, 0, n);
        }
        samples.add(kosmePrefixes);
        samples.add(new String[] {"6.7", "00", "c280", "e0a080", "f0908080"});
        samples.add(new String[] {"6.8", "f888808080", "fc8480808080"});
        samples.add(new String[] {"6.9", "7f", "dfbf", "efbfbf", "f48fbfbf"});
        samples.add(new String[] {"6.10", "f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf"});
        samples.add(new String[] {"6.11", "ed9fbf", "ee8080", "efbfbd", "f48fbfbf", "f4908080"});
        samples.add(new String[] {"6.12", "80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf",
            range(0x80, 0xBF, "")});
        samples.add(new String[] {"6.13", range(0xC0, 0xDF, "20"), range(0xE0, 0xEF, "20"), range(0xF0, 0xF7, "20"),
            range(0xF8, 0xFB, "20"), range(0xFC, 0xFD, "20")});
        String[] truncated = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf",
            "fdbfbfbfbf"};
        String[] group14 = new String[truncated.length + 1];
        group14[0] = "6.14";
        System.arraycopy(truncated, 0, group14, 1, truncated.length);
        samples.add(group14);
        samples.add(new String[] {"6.15", String.join("", truncated)});
        samples.add(new String[] {"6.16", "fe", "ff", "fefeffff"});
        samples.add(new String[] {"6.17", "c0af", "e080af", "f08080af", "f8808080af", "fc80808080af"});
        samples.add(new String[] {"6.18", "c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf"});
        samples.add(new String[] {"6.19", "c080", "e08080", "f0808080", "f880808080", "fc8080808080"});
        samples.add(new String[] {"6.20", "eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"});
        samples.add(new String[] {"6.21", "eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf",
            "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf"});
        List<String> nonCharacters = new ArrayList<>(List.of("6.22", "efbfbe", "efbfbf"));
        for (int plane = 1; plane <= 16; plane++) {
            int base = plane << 16;
            nonCharacters.add(HexFormat.of().formatHex(new String(Character.toChars(base | 0xFFFE)).getBytes(
                    StandardCharsets.UTF_8)));
            nonCharacters.add(HexFormat.of().formatHex(new String(Character.toChars(base | 0xFFFF)).getBytes(
                    StandardCharsets.UTF_8)));
        }
        samples.add(nonCharacters.toArray(String[]::new));
        samples.add(new String[] {"6.23", "efbfbd", "e282ac", "f09f8e9f", "efbbbf", "7e7f", "e2808b", "f0908080"});
        for (String[] group : samples) {
            for (int i = 1; i < group.length; i++) {
                registerSample(catalogue, group[0] + "." + i, HexFormat.of().parseHex(group[i]));
            }
        }
    }

    private static void registerSample(Catalogue catalogue, String id, byte[] payload) {
        String hex = HexFormat.of().formatHex(payload);
        if (isValidUtf8(payload)) {
            catalogue.add(id, "Send a text message with payload which is valid UTF-8 in one fragment. Payload: 0x"
                    + hex, "The message is echo'ed back to us.", SAMPLE_KILL, c -> {
                        c.send(Opcode.TEXT, payload);
                        c.expectText(payload);
                        c.awaitExpected();
                    });
        } else {
            catalogue.add(id, "Send a text message with payload which is not valid UTF-8 in one fragment. Payload: "
                    + "0x" + hex, "The connection is failed immediately, since the payload is not valid UTF-8.",
                    SAMPLE_KILL, c -> {
                        c.send(Opcode.TEXT, payload);
                        c.expectFail(1007);
                    });
        }
    }

    /** 6.4: the connection must fail at the frame (or chop) that makes the text invalid, not at the message end. */
    private static void registerFailFast(Catalogue catalogue) {
        byte[] part1 = KOSME;
        byte[] part2Full = HexFormat.of().parseHex("f4908080"); // 0x110000: out of Unicode's range
        byte[] part3Full = utf8("edited");
        byte[] part2Short = HexFormat.of().parseHex("f490"); // already invalid at 0x90
        byte[] part3Short = concat(HexFormat.of().parseHex("8080"), utf8("edited"));
        String expectation = "The first frame is accepted, we expect to timeout on the first wait. The 2nd frame "
                + "should be rejected immediately (fail fast on UTF-8). If we timeout, we expect the connection is "
                + "failed at least then, since the complete message payload is not valid UTF-8.";
        catalogue.add("6.4.1", "Send invalid UTF-8 text message in 3 fragments (frames). First frame payload is "
                + "valid, then wait, then 2nd frame which contains the payload making the sequence invalid, then "
                + "wait, then 3rd frame with rest. PART2 is 0x110000 encoded as in UTF-8, which is out of range.",
                expectation, FAIL_FAST_CASE, c -> failFastFrames(c, part1, part2Full, part3Full));
        catalogue.add("6.4.2", "Same as 6.4.1, but in 2nd frame, we send only up to and including the octet making "
                + "the complete payload invalid.", expectation, FAIL_FAST_CASE,
                c -> failFastFrames(c, part1, part2Short, part3Short));
        catalogue.add("6.4.3", "Same as 6.4.1, but we send message not in 3 frames, but in 3 chops of the same "
                + "message frame.", expectation, FAIL_FAST_CASE, c -> failFastChops(c, part1, part2Full, part3Full));
        catalogue.add("6.4.4", "Same as 6.4.2, but we send message not in 3 frames, but in 3 chops of the same "
                + "message frame.", expectation, FAIL_FAST_CASE,
                c -> failFastChops(c, part1, part2Short, part3Short));
    }

    /**
     * Autobahn's 6.4 logic: after each of the first two parts the case waits a second; a wait that passes with the
     * connection still open goes into the received list. Failing right after the invalid part (only wait A
     * passed) is OK; failing only after the whole message (both waits passed) is NON-STRICT; failing on the valid
     * first part (no wait passed) matches neither and fails.
     */
    private static void failFast(CaseContext c, byte[][] parts, IoStep send) throws IOException {
        c.expectEvents(Verdict.OK, List.of(Observed.timeout("A")));
        c.expectEvents(Verdict.NON_STRICT, List.of(Observed.timeout("A"), Observed.timeout("B")));
        c.expectFail(1007);
        send.run(0);
        c.pause(FAIL_FAST_WINDOW);
        if (!c.isOpen()) {
            return;
        }
        c.timeoutPassed("A");
        send.run(1);
        c.pause(FAIL_FAST_WINDOW);
        if (!c.isOpen()) {
            return;
        }
        c.timeoutPassed("B");
        send.run(2);
        c.killAfter(FAIL_FAST_WINDOW);
    }

    @FunctionalInterface
    private interface IoStep {
        void run(int part) throws IOException;
    }

    private static void failFastFrames(CaseContext c, byte[] part1, byte[] part2, byte[] part3) throws IOException {
        byte[][] parts = {part1, part2, part3};
        failFast(c, parts, i -> c.sendFrame(i == 0 ? Opcode.TEXT.code() : Opcode.CONTINUATION.code(), i == 2, 0,
                parts[i], CaseContext.ONE_CHOP));
    }

    private static void failFastChops(CaseContext c, byte[] part1, byte[] part2, byte[] part3) throws IOException {
        byte[] whole = frame(Opcode.TEXT, true, concat(part1, part2, part3));
        int headerLength = whole.length - part1.length - part2.length - part3.length;
        int firstCut = headerLength + part1.length;
        int secondCut = firstCut + part2.length;
        byte[][] chops = {Arrays.copyOf(whole, firstCut), Arrays.copyOfRange(whole, firstCut, secondCut),
            Arrays.copyOfRange(whole, secondCut, whole.length)};
        failFast(c, chops, i -> c.sendFrames(CaseContext.ONE_CHOP, chops[i]));
    }

    private static void sendInOneOctetFrames(CaseContext c, byte[] payload) throws IOException {
        byte[][] frames = new byte[payload.length][];
        for (int i = 0; i < payload.length; i++) {
            frames[i] = frame(i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, i == payload.length - 1,
                    new byte[] {payload[i]});
        }
        c.sendFrames(CaseContext.ONE_CHOP, frames);
    }

    /** The octets from {@code first} to {@code last}, each followed by {@code separatorHex}. */
    private static String range(int first, int last, String separatorHex) {
        StringBuilder hex = new StringBuilder();
        for (int b = first; b <= last; b++) {
            hex.append(String.format("%02x", b)).append(separatorHex);
        }
        return hex.toString();
    }

    static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
