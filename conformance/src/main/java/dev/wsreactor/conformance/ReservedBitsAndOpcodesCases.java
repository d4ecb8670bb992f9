package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;
import static dev.wsreactor.conformance.CaseContext.utf8;

import dev.wsreactor.protocol.internal.Opcode;
import java.util.List;

/**
 * Groups 3 and 4: reserved bits and reserved opcodes (RFC 6455 §5.2). Without a negotiated extension any of them
 * fails the connection with 1002; what was sent before must still be answered.
 */
final class ReservedBitsAndOpcodesCases {

    private ReservedBitsAndOpcodesCases() {
    }

    private static final String HELLO = "Hello, world!";
    private static final String FAIL = "The connection is failed immediately (1002/Protocol Error).";
    private static final String ECHO_THEN_FAIL = "Echo for first message is received, but then the connection is "
            + "failed immediately, since the second frame breaks the protocol. The Pong is not received.";

    static void register(Catalogue catalogue) {
        catalogue.add("3.1", "Send small text message with RSV = 1.", FAIL, c -> {
            c.sendFrame(Opcode.TEXT.code(), true, 1, utf8(HELLO), CaseContext.ONE_CHOP);
            c.expectFail(1002);
        });
        catalogue.add("3.2", "Send small text message, then send again with RSV = 2, then send Ping.",
                ECHO_THEN_FAIL, c -> echoThenBadFrame(c, Opcode.TEXT.code(), 2, utf8(HELLO), CaseContext.ONE_CHOP));
        catalogue.add("3.3", "Send small text message, then send again with RSV = 3, then send Ping. Octets are sent "
                + "in frame-wise chops.", ECHO_THEN_FAIL,
                c -> echoThenBadFrame(c, Opcode.TEXT.code(), 3, utf8(HELLO), CaseContext.PER_FRAME));
        catalogue.add("3.4", "Send small text message, then send again with RSV = 4, then send Ping. Octets are sent "
                + "in octet-wise chops.", ECHO_THEN_FAIL, c -> echoThenBadFrame(c, Opcode.TEXT.code(), 4,
                        utf8(HELLO), 1));
        catalogue.add("3.5", "Send small binary message with RSV = 5.", FAIL, c -> {
            c.sendFrame(Opcode.BINARY.code(), true, 5, new byte[] {0, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD},
                    CaseContext.ONE_CHOP);
            c.expectFail(1002);
        });
        catalogue.add("3.6", "Send Ping with RSV = 6.", FAIL, c -> {
            c.sendFrame(Opcode.PING.code(), true, 6, utf8(HELLO), CaseContext.ONE_CHOP);
            c.expectFail(1002);
        });
        catalogue.add("3.7", "Send Close with RSV = 7.", FAIL, c -> {
            c.sendFrame(Opcode.CLOSE.code(), true, 7, new byte[] {0x03, (byte) 0xE8}, CaseContext.ONE_CHOP);
            c.expectFail(1002);
        });

        int[] nonControl = {3, 4, 5, 6, 7};
        int[] control = {11, 12, 13, 14, 15};
        registerOpcodes(catalogue, "4.1", "non-control", nonControl);
        registerOpcodes(catalogue, "4.2", "control", control);
    }

    private static void registerOpcodes(Catalogue catalogue, String prefix, String kind, int[] opcodes) {
        catalogue.add(prefix + ".1", "Send frame with reserved " + kind + " Opcode = " + opcodes[0] + ".", FAIL,
                c -> {
                    c.sendFrame(opcodes[0], true, 0, new byte[0], CaseContext.ONE_CHOP);
                    c.expectFail(1002);
                });
        catalogue.add(prefix + ".2", "Send frame with reserved " + kind + " Opcode = " + opcodes[1]
                + " and non-empty payload.", FAIL, c -> {
                    c.sendFrame(opcodes[1], true, 0, utf8("reserved opcode payload"), CaseContext.ONE_CHOP);
                    c.expectFail(1002);
                });
        catalogue.add(prefix + ".3", "Send small text message, then send frame with reserved " + kind + " Opcode = "
                + opcodes[2] + ", then send Ping.", ECHO_THEN_FAIL,
                c -> echoThenBadFrame(c, opcodes[2], 0, new byte[0], CaseContext.ONE_CHOP));
        catalogue.add(prefix + ".4", "Send small text message, then send frame with reserved " + kind + " Opcode = "
                + opcodes[3] + " and non-empty payload, then send Ping.", ECHO_THEN_FAIL,
                c -> echoThenBadFrame(c, opcodes[3], 0, utf8("reserved opcode payload"), CaseContext.ONE_CHOP));
        catalogue.add(prefix + ".5", "Send small text message, then send frame with reserved " + kind + " Opcode = "
                + opcodes[4] + " and non-empty payload, then send Ping. Octets are sent in octet-wise chops.",
                ECHO_THEN_FAIL, c -> echoThenBadFrame(c, opcodes[4], 0, utf8("reserved opcode payload"), 1));
    }

    /** A good message, a frame that breaks the rules, then a Ping that must go unanswered. */
    private static void echoThenBadFrame(CaseContext c, int badOpcode, int badRsv, byte[] badPayload, int chop)
            throws java.io.IOException {
        c.sendFrames(chop, frame(Opcode.TEXT, true, utf8(HELLO)),
                CaseContext.frame(badOpcode, true, badRsv, badPayload), frame(Opcode.PING, true, new byte[0]));
        c.expectText(HELLO);
        c.nonStrictAlternative(List.of());
        c.expectFail(1002);
        c.awaitExpected();
    }
}
