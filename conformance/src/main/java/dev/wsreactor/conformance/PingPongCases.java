package dev.wsreactor.conformance;

import static dev.wsreactor.conformance.CaseContext.frame;
import static dev.wsreactor.conformance.CaseContext.utf8;

import dev.wsreactor.protocol.internal.Opcode;
import java.time.Duration;
import java.util.Arrays;

/** Group 2: Ping and Pong (RFC 6455 §5.5.2, §5.5.3). */
final class PingPongCases {

    private PingPongCases() {
    }

    /** 2.10 and 2.11 close after 3 s at the latest (Autobahn's closeAfter(3)), with no kill timer. */
    private static final Duration PONGS = Duration.ofSeconds(6);

    static void register(Catalogue catalogue) {
        catalogue.add("2.1", "Send ping without payload.", "Pong (with empty payload) is sent in reply to Ping. "
                + "Clean close with normal code.", c -> {
                    c.send(Opcode.PING, new byte[0]);
                    c.expectPong(new byte[0]);
                    c.awaitExpected();
                });
        catalogue.add("2.2", "Send ping with small text payload.", "Pong with payload echo'ed is sent in reply to "
                + "Ping. Clean close with normal code.", c -> {
                    c.send(Opcode.PING, utf8("Hello, world!"));
                    c.expectPong(utf8("Hello, world!"));
                    c.awaitExpected();
                });
        catalogue.add("2.3", "Send ping with small binary (non UTF-8) payload.", "Pong with payload echo'ed is sent "
                + "in reply to Ping. Clean close with normal code.", c -> {
                    byte[] payload = {0x00, (byte) 0xFF, (byte) 0xFE, (byte) 0xFD, (byte) 0xFC, (byte) 0xFB, 0x00,
                        (byte) 0xFF};
                    c.send(Opcode.PING, payload);
                    c.expectPong(payload);
                    c.awaitExpected();
                });
        catalogue.add("2.4", "Send ping with binary payload of 125 octets.", "Pong with payload echo'ed is sent in "
                + "reply to Ping. Clean close with normal code.", c -> {
                    byte[] payload = filled(125);
                    c.send(Opcode.PING, payload);
                    c.expectPong(payload);
                    c.awaitExpected();
                });
        catalogue.add("2.5", "Send ping with binary payload of 126 octets.", "Connection is failed immediately "
                + "(1002/Protocol Error), since control frames are only allowed to have payload up to and including "
                + "125 octets.", c -> {
                    c.send(Opcode.PING, filled(126));
                    c.expectFail(1002);
                });
        catalogue.add("2.6", "Send ping with binary payload of 125 octets, send in octet-wise chops.", "Pong with "
                + "payload echo'ed is sent in reply to Ping. Implementations must be TCP clean. Clean close with "
                + "normal code.", c -> {
                    byte[] payload = filled(125);
                    c.sendFrames(1, frame(Opcode.PING, true, payload));
                    c.expectPong(payload);
                    c.awaitExpected();
                });
        catalogue.add("2.7", "Send unsolicited pong without payload. Verify nothing is received. Clean close with "
                + "normal code.", "Nothing.", c -> c.send(Opcode.PONG, new byte[0]));
        catalogue.add("2.8", "Send unsolicited pong with payload. Verify nothing is received. Clean close with "
                + "normal code.", "Nothing.", c -> c.send(Opcode.PONG, utf8("unsolicited pong payload")));
        catalogue.add("2.9", "Send unsolicited pong with payload. Send ping with payload. Verify pong for ping is "
                + "received.", "Nothing in reply to own Pong, but Pong with payload echo'ed in reply to Ping. Clean "
                + "close with normal code.", c -> {
                    c.send(Opcode.PONG, utf8("unsolicited pong payload"));
                    c.send(Opcode.PING, utf8("ping payload"));
                    c.expectPong(utf8("ping payload"));
                    c.awaitExpected();
                });
        catalogue.add("2.10", "Send 10 Pings with payload.", "Pongs for our Pings with all the payloads. Note: This "
                + "is not required by the spec, but most implementations do reply to every Ping.", PONGS, c -> {
                    byte[][] frames = new byte[10][];
                    for (int i = 0; i < 10; i++) {
                        frames[i] = frame(Opcode.PING, true, utf8("payload-" + i));
                        c.expectPong(utf8("payload-" + i));
                    }
                    c.sendFrames(CaseContext.ONE_CHOP, frames);
                    c.closeAfter(Duration.ofSeconds(3));
                });
        catalogue.add("2.11", "Send 10 Pings with payload. Send out octets in octet-wise chops.", "Pongs for our "
                + "Pings with all the payloads. Note: This is not required by the spec, but most implementations do "
                + "reply to every Ping.", PONGS, c -> {
                    byte[][] frames = new byte[10][];
                    for (int i = 0; i < 10; i++) {
                        frames[i] = frame(Opcode.PING, true, utf8("payload-" + i));
                        c.expectPong(utf8("payload-" + i));
                    }
                    c.sendFrames(1, frames);
                    c.closeAfter(Duration.ofSeconds(3));
                });
    }

    private static byte[] filled(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 0xFE);
        return payload;
    }
}
