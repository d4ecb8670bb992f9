package dev.wsreactor.conformance;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.Opcode;
import dev.wsreactor.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What the server sends, taken in the way Autobahn's client protocol takes it: messages assembled (and inflated
 * under permessage-deflate) into the received list, Pings answered, the server's Close checked and answered, and
 * the flags the close is judged by ({@link Closing}). The harness fails a connection as Autobahn's client does with
 * the project's fuzzingclient settings ({@code failByDrop: false}): with a Close frame while the connection is open
 * (1002 for a protocol violation, 1007 for invalid UTF-8, 1001 when the case's time ran out), by dropping TCP once
 * it is closing.
 */
final class ServerEvents {

    private final WireClient client;
    private final WireLog log;
    private final List<Observed> received = new ArrayList<>();
    private final Inflater inflater = new Inflater(true);

    private ByteArrayOutputStream message;
    private boolean messageBinary;
    private boolean messageCompressed;

    private boolean closeSent;
    private boolean closeReceived;
    private boolean closedByMe;
    private boolean failedByMe;
    private boolean droppedByMe;
    private boolean wasClean;
    private String wasNotCleanReason;
    private Integer remoteCloseCode;
    private String remoteCloseReason = "";
    private long closeSentAt;
    private long closeReceivedAt;

    ServerEvents(WireClient client, WireLog log) {
        this.client = client;
        this.log = log;
    }

    List<Observed> received() {
        return received;
    }

    /** Autobahn's STATE_OPEN: no Close sent or received, TCP up. */
    boolean isOpen() {
        return !closeSent && !closeReceived && !client.isTcpClosed();
    }

    boolean isTcpClosed() {
        return client.isTcpClosed();
    }

    /** When the harness started the closing handshake and is still waiting for the server's Close; else -1. */
    long awaitingCloseSince() {
        return closedByMe && !closeReceived ? closeSentAt : -1;
    }

    /** When both Close frames have gone and the server should close TCP; else -1. */
    long awaitingTcpCloseSince() {
        return closeSent && closeReceived ? Math.max(closeSentAt, closeReceivedAt) : -1;
    }

    /** A Close frame has just been written; the first one (while open) starts the closing handshake. */
    void closeSent(boolean isReply) {
        if (!closeSent && !closeReceived) {
            closedByMe = !isReply;
        }
        if (!closeSent) {
            closeSentAt = System.nanoTime();
        }
        closeSent = true;
    }

    /** Autobahn's failConnection with failByDrop off: a Close with this code while open, else TCP dropped. */
    void fail(int code, String why) {
        if (client.isTcpClosed()) {
            return;
        }
        failedByMe = true;
        if (!isOpen()) {
            drop(why);
            return;
        }
        log.note("harness fails the connection with " + code + ": " + why);
        wasNotCleanReason = "I failed the connection: " + why;
        closeSent(false);
        reply(Opcode.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** Closes TCP from this side: a timer ran out while closing, or the connection is failed once closing. */
    void drop(String why) {
        if (client.isTcpClosed()) {
            return;
        }
        log.note("harness drops TCP: " + why);
        droppedByMe = true;
        wasClean = false;
        wasNotCleanReason = "I dropped the TCP connection: " + why;
        client.close();
    }

    /** Takes one event; true if it added to the received list (so the case may be done). */
    boolean take(WireClient.Event event) {
        if (event instanceof WireClient.Violation violation) {
            fail(violation.violation().code().value(), "the server sent an invalid frame: "
                    + violation.violation().reason());
        } else if (event instanceof WireClient.TcpClosed) {
            if (!wasClean && wasNotCleanReason == null) {
                wasNotCleanReason = closeReceived ? "the server closed TCP" : "the server dropped the TCP connection "
                        + "without a previous closing handshake";
            }
        } else if (event instanceof WireClient.Frame frame) {
            return onFrame(frame);
        }
        return false;
    }

    Closing closing() {
        return new Closing(closedByMe, failedByMe, droppedByMe, wasClean, wasNotCleanReason, remoteCloseCode,
                remoteCloseReason);
    }

    void end() {
        inflater.end();
    }

    private boolean onFrame(WireClient.Frame frame) {
        switch (frame.opcode()) {
            case TEXT, BINARY -> {
                if (message != null) {
                    fail(1002, "the server started a message inside another");
                    return false;
                }
                message = new ByteArrayOutputStream();
                messageBinary = frame.opcode() == Opcode.BINARY;
                messageCompressed = (frame.rsv() & DeflateConfig.RSV1) != 0;
                return appendFragment(frame);
            }
            case CONTINUATION -> {
                if (message == null) {
                    fail(1002, "the server sent a continuation frame with no message to continue");
                    return false;
                }
                return appendFragment(frame);
            }
            case PONG -> {
                received.add(Observed.pong(frame.payload()));
                return true;
            }
            case PING -> {
                if (isOpen()) {
                    reply(Opcode.PONG, frame.payload()); // §5.5.2, as Autobahn's client answers every Ping
                }
                return false;
            }
            case CLOSE -> {
                onClose(frame.payload());
                return false;
            }
            default -> throw new IllegalStateException("unexpected opcode " + frame.opcode());
        }
    }

    /** Autobahn's onCloseFrame: check the code and reason, then answer or finish the closing handshake. */
    private void onClose(byte[] payload) {
        if (payload.length == 1) {
            fail(1002, "the server's Close frame has a 1-octet payload");
            return;
        }
        if (payload.length >= 2) {
            int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            remoteCloseCode = code;
            if (!CloseCode.isAllowedOnWire(code)) {
                fail(1002, "the server sent close code " + code + ", which may not be sent");
                return;
            }
            byte[] reason = Arrays.copyOfRange(payload, 2, payload.length);
            if (!Utf8Cases.isValidUtf8(reason)) {
                fail(1007, "the server's close reason is not valid UTF-8");
                return;
            }
            remoteCloseReason = new String(reason, StandardCharsets.UTF_8);
        }
        boolean wasOpen = isOpen();
        closeReceived = true;
        closeReceivedAt = System.nanoTime();
        if (closeSent || wasOpen) {
            wasClean = true; // the server's TCP close is still to come; without it in time, it is not clean
        }
        if (wasOpen) {
            // Autobahn answers with 1000, not an echo of the server's code.
            reply(Opcode.CLOSE, new byte[] {0x03, (byte) 0xE8});
            closeSent(true);
        }
        if (closeSent && client.role() == Role.SERVER) {
            log.note("harness, as the server, closes TCP after the closing handshake (§7.1.1)");
            client.close();
        }
    }

    /** The server's TCP close did not come in time after the closing handshake: not clean. */
    void serverDidNotCloseTcp() {
        drop("the server did not close TCP after the closing handshake");
        wasNotCleanReason = "the server did not drop the TCP connection in time after the closing handshake";
    }

    /**
     * Answers the server. A server may close TCP right after its Close, so the answer can find the socket gone;
     * that is not a failure of the case: reading on shows how TCP ended.
     */
    private void reply(Opcode opcode, byte[] payload) {
        byte[] bytes = CaseContext.frame(opcode, true, payload);
        log.sent("frame", opcode.code(), true, 0, payload, bytes.length, 0);
        try {
            client.write(bytes, CaseContext.ONE_CHOP);
        } catch (IOException e) {
            log.note("could not answer " + opcode + ": " + e.getMessage());
        }
    }

    private boolean appendFragment(WireClient.Frame frame) {
        message.writeBytes(frame.payload());
        if (!frame.fin()) {
            return false;
        }
        byte[] payload = message.toByteArray();
        message = null;
        if (messageCompressed) {
            payload = inflate(payload);
            if (payload == null) {
                return false;
            }
        }
        if (!messageBinary && !Utf8Cases.isValidUtf8(payload)) {
            fail(1007, "the server sent a text message that is not valid UTF-8");
            return false;
        }
        received.add(Observed.message(payload, messageBinary));
        return true;
    }

    /** RFC 7692 §7.2.2: append the tail the server removed, inflate, and keep the context unless told not to. */
    private byte[] inflate(byte[] compressed) {
        byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
        input[compressed.length + 2] = (byte) 0xFF;
        input[compressed.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        try {
            while (true) {
                int n = inflater.inflate(chunk);
                if (n > 0) {
                    out.write(chunk, 0, n);
                } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                    break;
                }
            }
        } catch (DataFormatException e) {
            fail(1007, "the server sent a compressed message that does not inflate: " + e.getMessage());
            return null;
        }
        if (client.peerNoContextTakeover() || inflater.finished()) {
            inflater.reset();
        }
        return out.toByteArray();
    }
}
