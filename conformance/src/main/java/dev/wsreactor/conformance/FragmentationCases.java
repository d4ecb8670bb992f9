package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;
import static dev.wsreactor.conformance.CaseContext.utf8;

import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Group 5: fragmentation (RFC 6455 §5.4): continuation rules, and control frames between fragments. */
final class FragmentationCases {

    private FragmentationCases() {
    }

    /** 5.19 and 5.20 wait a second twice; Autobahn sets no kill timer for them. */
    private static final Duration WAITS = Duration.ofSeconds(5);
    private static final int[] CHOPS = {CaseContext.ONE_CHOP, CaseContext.PER_FRAME, 1};
    private static final String[] CHOP_NAMES = {"sent in one chop", "sent in per-frame chops",
        "sent in octet-wise chops"};

    static void register(Catalogue catalogue) {
        catalogue.add("5.1", "Send Ping fragmented into 2 fragments.", "Connection is failed immediately, since "
                + "control message MUST NOT be fragmented.", c -> {
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.PING, false, utf8("fragment1")),
                            frame(Opcode.CONTINUATION, true, utf8("fragment2")));
                    c.expectFail(1002);
                });
        catalogue.add("5.2", "Send Pong fragmented into 2 fragments.", "Connection is failed immediately, since "
                + "control message MUST NOT be fragmented.", c -> {
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.PONG, false, utf8("fragment1")),
                            frame(Opcode.CONTINUATION, true, utf8("fragment2")));
                    c.expectFail(1002);
                });
        String[] twoFragmentIds = {"5.3", "5.4", "5.5"};
        for (int i = 0; i < 3; i++) {
            int chop = CHOPS[i];
            catalogue.add(twoFragmentIds[i], "Send text Message fragmented into 2 fragments, " + CHOP_NAMES[i] + ".",
                    "Message is processed and echo'ed back to us.", c -> {
                        c.sendFrames(chop, frame(Opcode.TEXT, false, utf8("fragment1")),
                                frame(Opcode.CONTINUATION, true, utf8("fragment2")));
                        c.expectText("fragment1fragment2");
                        c.awaitExpected();
                    });
        }
        String[] withPingIds = {"5.6", "5.7", "5.8"};
        for (int i = 0; i < 3; i++) {
            int chop = CHOPS[i];
            catalogue.add(withPingIds[i], "Send text Message fragmented into 2 fragments, one ping with payload "
                    + "in-between, " + CHOP_NAMES[i] + ".", "A pong is received, then the message is echo'ed back "
                    + "to us.", c -> {
                        c.sendFrames(chop, frame(Opcode.TEXT, false, utf8("fragment1")),
                                frame(Opcode.PING, true, utf8("ping payload")),
                                frame(Opcode.CONTINUATION, true, utf8("fragment2")));
                        c.expectPong(utf8("ping payload"));
                        c.expectText("fragment1fragment2");
                        c.awaitExpected();
                    });
        }
        String[] finTrueIds = {"5.9", "5.10", "5.11"};
        String[] finFalseIds = {"5.12", "5.13", "5.14"};
        for (int i = 0; i < 3; i++) {
            int chop = CHOPS[i];
            catalogue.add(finTrueIds[i], "Send unfragmented Text Message after Continuation Frame with FIN = true, "
                    + "where there is nothing to continue, " + CHOP_NAMES[i] + ".", "The connection is failed "
                    + "immediately, since there is no message to continue.", c -> {
                        c.sendFrames(chop, frame(Opcode.CONTINUATION, true, utf8("non-continuation payload")),
                                frame(Opcode.TEXT, true, utf8("Hello, world!")));
                        c.expectFail(1002);
                    });
            catalogue.add(finFalseIds[i], "Send unfragmented Text Message after Continuation Frame with FIN = "
                    + "false, where there is nothing to continue, " + CHOP_NAMES[i] + ".", "The connection is "
                    + "failed immediately, since there is no message to continue.", c -> {
                        c.sendFrames(chop, frame(Opcode.CONTINUATION, false, utf8("non-continuation payload")),
                                frame(Opcode.TEXT, true, utf8("Hello, world!")));
                        c.expectFail(1002);
                    });
        }
        catalogue.add("5.15", "Send text Message fragmented into 2 fragments, then Continuation Frame with FIN = "
                + "false where there is nothing to continue, then unfragmented Text Message, all sent in one chop.",
                "The connection is failed immediately, since there is no message to continue.", c -> {
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.TEXT, false, utf8("fragment1")),
                            frame(Opcode.CONTINUATION, true, utf8("fragment2")),
                            frame(Opcode.CONTINUATION, false, utf8("fragment3")),
                            frame(Opcode.TEXT, true, utf8("fragment4")));
                    c.expectText("fragment1fragment2");
                    c.nonStrictAlternative(List.of());
                    c.expectFail(1002);
                    c.awaitExpected();
                });
        for (boolean fin : new boolean[] {false, true}) {
            catalogue.add(fin ? "5.17" : "5.16", "Repeated 2x: Continuation Frame with FIN = " + fin + " (where "
                    + "there is nothing to continue), then text Message fragmented into 2 fragments.", "The "
                    + "connection is failed immediately, since there is no message to continue.", c -> {
                        byte[][] frames = new byte[6][];
                        for (int i = 0; i < 2; i++) {
                            frames[3 * i] = frame(Opcode.CONTINUATION, fin, utf8("fragment1"));
                            frames[3 * i + 1] = frame(Opcode.TEXT, false, utf8("fragment2"));
                            frames[3 * i + 2] = frame(Opcode.CONTINUATION, true, utf8("fragment3"));
                        }
                        c.sendFrames(CaseContext.ONE_CHOP, frames);
                        c.expectFail(1002);
                    });
        }
        catalogue.add("5.18", "Send text Message fragmented into 2 fragments, with both frame opcodes set to text, "
                + "sent in one chop.", "The connection is failed immediately, since all data frames after the "
                + "initial data frame must have opcode 0.", c -> {
                    c.sendFrames(CaseContext.ONE_CHOP, frame(Opcode.TEXT, false, utf8("fragment1")),
                            frame(Opcode.TEXT, true, utf8("fragment2")));
                    c.expectFail(1002);
                });
        catalogue.add("5.19", "A fragmented text message is sent in multiple frames. After sending the first 2 "
                + "frames of the text message, a Ping is sent. Then we wait 1s, then we send 2 more text "
                + "fragments, another Ping and then the final text fragment. Everything is legal.", "The peer "
                + "immediately answers the first Ping before it has received the last text message fragment. The "
                + "peer pong's back the Ping's payload exactly, and echo's the payload of the fragmented message "
                + "back to us.", WAITS, c -> pingsInsideAMessage(c, CaseContext.ONE_CHOP));
        catalogue.add("5.20", "Same as Case 5.19, but send all frames with sync = True.", "Same as Case 5.19.", WAITS,
                c -> pingsInsideAMessage(c, CaseContext.PER_FRAME));
    }

    /** Autobahn's 5.19: the first part, a second's wait (the Pong must come within it), the rest, closing a second later. */
    private static void pingsInsideAMessage(CaseContext c, int chop) throws IOException {
        c.expectPong(utf8("pongme 1!"));
        c.expectPong(utf8("pongme 2!"));
        c.expectText("fragment1fragment2fragment3fragment4fragment5");
        c.sendFrames(chop, frame(Opcode.TEXT, false, utf8("fragment1")),
                frame(Opcode.CONTINUATION, false, utf8("fragment2")), frame(Opcode.PING, true, utf8("pongme 1!")));
        c.pause(Duration.ofSeconds(1));
        c.sendFrames(chop, frame(Opcode.CONTINUATION, false, utf8("fragment3")),
                frame(Opcode.CONTINUATION, false, utf8("fragment4")), frame(Opcode.PING, true, utf8("pongme 2!")),
                frame(Opcode.CONTINUATION, true, utf8("fragment5")));
        c.closeAfter(Duration.ofSeconds(1));
    }
}
