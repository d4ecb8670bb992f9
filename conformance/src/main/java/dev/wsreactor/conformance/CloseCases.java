package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;
import static dev.wsreactor.conformance.CaseContext.utf8;

import dev.wsreactor.protocol.internal.Opcode;
import java.util.HexFormat;

/** Group 7: the closing handshake (RFC 6455 §5.5.1, §7): what follows a Close, close payloads and codes. */
final class CloseCases {

    private CloseCases() {
    }

    static void register(Catalogue catalogue) {
        catalogue.add("7.1.1", "Send a message followed by a close frame", "Echoed message followed by clean close "
                + "with normal code.", c -> {
                    c.sendText("Hello World!");
                    c.expectText("Hello World!");
                    cleanClose(c, 1000); // the harness closes once the echo is in, as Autobahn's finishWhenDone
                });
        catalogue.add("7.1.2", "Send two close frames", "Clean close with normal code. Second close frame ignored.",
                c -> {
                    c.sendClose(1000, "");
                    c.sendFrame(Opcode.CLOSE.code(), true, 0, new byte[] {0x03, (byte) 0xE8}, CaseContext.ONE_CHOP);
                    cleanClose(c, 1000);
                });
        catalogue.add("7.1.3", "Send a ping after close message", "Clean close with normal code, no pong.", c -> {
            c.sendClose(1000, "");
            c.send(Opcode.PING, new byte[0]);
            cleanClose(c, 1000);
        });
        catalogue.add("7.1.4", "Send text message after sending a close frame.", "Clean close with normal code. Text "
                + "message ignored.", c -> {
                    c.sendClose(1000, "");
                    c.sendText("Hello World!");
                    cleanClose(c, 1000);
                });
        catalogue.add("7.1.5", "Send message fragment1 followed by close then fragment", "Clean close with normal "
                + "code.", c -> {
                    c.sendFrame(Opcode.TEXT.code(), false, 0, utf8("fragment1"), CaseContext.ONE_CHOP);
                    c.sendClose(1000, "");
                    c.sendFrame(Opcode.CONTINUATION.code(), true, 0, utf8("fragment2"), CaseContext.ONE_CHOP);
                    cleanClose(c, 1000);
                });
        catalogue.add("7.1.6", "Send 256K message followed by close then a ping", "Case outcome depends on "
                + "implementation defined close behavior. Message and close frame are sent back to back. If the "
                + "close frame is processed before the text message write is complete (as can happen in "
                + "asynchronous processing models) the close frame is processed first and the text message may not "
                + "be received or may only be partially received.", c -> {
                    byte[] big = FramingCases.repeated("BAsd7&jh23", 256 * 1024);
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.TEXT, true, big),
                            frame(Opcode.TEXT, true, utf8("Hello World!")));
                    c.sendClose(1000, "");
                    c.send(Opcode.PING, new byte[0]);
                    c.expectText("Hello World!");
                    c.nonStrictAlternative(java.util.List.of());
                    c.expectCleanClose(1000);
                    c.informational();
                });

        catalogue.add("7.3.1", "Send a close frame with payload length 0 (no close code, no close reason)", "Clean "
                + "close with normal code.", c -> {
                    c.sendClose(-1, "");
                    cleanClose(c, 1000);
                });
        catalogue.add("7.3.2", "Send a close frame with payload length 1", "Clean close with protocol error or drop "
                + "TCP.", c -> {
                    c.sendCloseRaw(new byte[] {'a'});
                    rejectedClose(c, 1002);
                });
        catalogue.add("7.3.3", "Send a close frame with payload length 2 (regular close with a code)", "Clean close "
                + "with normal code.", c -> {
                    c.sendClose(1000, "");
                    cleanClose(c, 1000);
                });
        catalogue.add("7.3.4", "Send a close frame with close code and close reason", "Clean close with normal code.",
                c -> {
                    c.sendClose(1000, "Hello World!");
                    cleanClose(c, 1000);
                });
        catalogue.add("7.3.5", "Send a close frame with close code and close reason of maximum length (123)", "Clean "
                + "close with normal code.", c -> {
                    c.sendClose(1000, "*".repeat(123));
                    cleanClose(c, 1000);
                });
        catalogue.add("7.3.6", "Send a close frame with close code and close reason which is too long (124) - total "
                + "frame payload 126 octets", "Clean close with protocol error code or dropped TCP connection.", c -> {
                    c.sendClose(1000, "*".repeat(124));
                    rejectedClose(c, 1002);
                });
        catalogue.add("7.5.1", "Send a close frame with invalid UTF8 payload", "Clean close with protocol error or "
                + "invalid utf8 code or dropped TCP.", c -> {
                    byte[] reason = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5eda080656469746564");
                    byte[] payload = new byte[2 + reason.length];
                    payload[0] = 0x03;
                    payload[1] = (byte) 0xE8;
                    System.arraycopy(reason, 0, payload, 2, reason.length);
                    c.sendCloseRaw(payload);
                    rejectedClose(c, 1002, 1007);
                });

        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            int code = valid[i];
            catalogue.add("7.7." + (i + 1), "Send close with valid close code " + code, "Clean close with normal or "
                    + "echoed code", c -> {
                        c.sendClose(code, "");
                        cleanClose(c, 1000, code);
                    });
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            int code = invalid[i];
            catalogue.add("7.9." + (i + 1), "Send close with invalid close code " + code, "Clean close with protocol "
                    + "error code or drop TCP", c -> {
                        c.sendClose(code, "");
                        rejectedClose(c, 1002);
                    });
        }
        int[] outOfRange = {5000, 65535};
        for (int i = 0; i < outOfRange.length; i++) {
            int code = outOfRange[i];
            // Autobahn rates these INFORMATIONAL: codes above 4999 are in no range of §7.4.2, and the RFC does not
            // say what an endpoint does with one.
            catalogue.add("7.13." + (i + 1), "Send close with close code " + code, "Actual events are undefined by "
                    + "the spec.", c -> {
                        c.sendClose(code, "");
                        c.expectCloseRejected(1000, code, 1002);
                        c.informational();
                    });
        }
    }

    /** The harness closed (or will once the echo is in); the handshake must be clean, with one of these codes. */
    private static void cleanClose(CaseContext c, int... codes) {
        c.expectCleanClose(codes);
        c.wrongCodeFails();
    }

    /** The harness closed with a Close the server must reject: one of these codes or a dropped TCP. */
    private static void rejectedClose(CaseContext c, int... codes) {
        c.expectCloseRejected(codes);
        c.wrongCodeFails();
    }
}
