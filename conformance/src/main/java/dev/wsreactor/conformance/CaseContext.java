package dev.wsreactor.conformance;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.MessageDeflater;
import dev.wsreactor.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What a case script works with: sending (whole, chopped, legal or not), stating what a conforming server does,
 * and waiting for it. After the script, {@link #finish()} closes the connection as the case expects and
 * {@link #verdict} judges what happened.
 */
final class CaseContext {

    /** Write the frames with one write. */
    static final int ONE_CHOP = 0;
    /** Write each frame with its own write. */
    static final int PER_FRAME = -1;

    /**
     * A message or Pong from the server, as the reports list them: by length, digest and a preview, so a 16 MiB
     * echo is compared exactly without being kept twice.
     */
    record Observed(String kind, boolean binary, int length, String sha256, String preview) {
        static Observed message(byte[] payload, boolean binary) {
            return of("message", binary, payload);
        }

        static Observed pong(byte[] payload) {
            return of("pong", true, payload);
        }

        private static Observed of(String kind, boolean binary, byte[] payload) {
            String preview = !binary && payload.length <= 64 && Utf8Cases.isValidUtf8(payload)
                    ? "\"" + new String(payload, StandardCharsets.UTF_8) + "\"" : WireLog.preview(payload);
            return new Observed(kind, binary, payload.length, sha256(payload), preview);
        }

        private static String sha256(byte[] payload) {
            try {
                return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public String toString() {
            return kind + (kind.equals("message") ? (binary ? " binary " : " text ") : " ") + "(" + length
                    + " octets) " + preview;
        }
    }

    private enum CloseExpectation { CLEAN, FAIL, ANY }

    private final WireClient client;
    private final WireLog log;
    private final Duration timeout;
    private final List<Observed> expected = new ArrayList<>();
    private List<Observed> nonStrictAlternative;
    private final List<Observed> received = new ArrayList<>();
    private CloseExpectation closeExpectation = CloseExpectation.CLEAN;
    private int[] closeCodes = {1000};
    private boolean informational;
    private String nonStrictReason;
    private String protocolBreach;

    // The close, as it happened.
    private boolean closeSent;
    private boolean closeReceived;
    private int remoteCloseCode = -1;
    private String remoteCloseReason = "";
    private String closedBy = "";

    // A message arriving in fragments.
    private ByteArrayOutputStream message;
    private boolean messageBinary;
    private boolean messageCompressed;

    // permessage-deflate, for the compression cases: our compressor and our inflater for the server's messages.
    private MessageDeflater compressor;
    private int compressionLevel = 6;
    private final Inflater inflater = new Inflater(true);
    private String unimplemented;

    CaseContext(WireClient client, WireLog log, Duration timeout) {
        this.client = client;
        this.log = log;
        this.timeout = timeout;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending

    /** One masked frame's bytes. */
    static byte[] frame(int opcodeBits, boolean fin, int rsv, byte[] payload) {
        return WireClient.encode(opcodeBits, fin, rsv, true, payload);
    }

    static byte[] frame(Opcode opcode, boolean fin, byte[] payload) {
        return frame(opcode.code(), fin, 0, payload);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a whole message in one frame. */
    void send(Opcode opcode, byte[] payload) throws IOException {
        sendFrame(opcode.code(), true, 0, payload, ONE_CHOP);
    }

    void sendText(String text) throws IOException {
        send(Opcode.TEXT, utf8(text));
    }

    /** Sends one frame, in chops of {@code chop} octets (0: one write). */
    void sendFrame(int opcodeBits, boolean fin, int rsv, byte[] payload, int chop) throws IOException {
        byte[] bytes = frame(opcodeBits, fin, rsv, payload);
        log.sent("frame", opcodeBits, fin, rsv, payload, bytes.length, chop);
        client.write(bytes, chop);
        if (opcodeBits == Opcode.CLOSE.code()) {
            closeSent = true;
        }
    }

    /** Sends frames already encoded: all in one write, one write each ({@link #PER_FRAME}), or in chops. */
    void sendFrames(int chop, byte[]... frames) throws IOException {
        if (chop == PER_FRAME) {
            for (byte[] frame : frames) {
                log.note("TX " + frame.length + " octets (one frame)");
                client.write(frame, ONE_CHOP);
            }
            return;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        log.note("TX " + frames.length + " frames, " + all.size() + " octets"
                + (chop > 0 ? " in chops of " + chop : " in one write"));
        client.write(all.toByteArray(), chop);
    }

    /** Sends a Close with this code and reason (a code of -1 sends an empty payload). */
    void sendClose(int code, String reason) throws IOException {
        byte[] reasonBytes = utf8(reason);
        if (code < 0) {
            sendCloseRaw(new byte[0]);
            return;
        }
        byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        sendCloseRaw(payload);
    }

    void sendCloseRaw(byte[] payload) throws IOException {
        sendFrame(Opcode.CLOSE.code(), true, 0, payload, ONE_CHOP);
    }

    /** Whether the server accepted our permessage-deflate offer. */
    boolean compressionAgreed() {
        return client.deflate() != null;
    }

    /** The compression level of our messages; 0 sends stored blocks, valid for any window the server asks of us. */
    void compressionLevel(int level) {
        compressionLevel = level;
    }

    /** Sends a message compressed (RFC 7692 §7.2.1), in fragments of {@code fragmentSize} octets (0: one frame). */
    void sendCompressed(Opcode opcode, byte[] payload, int fragmentSize) throws IOException {
        if (compressor == null) {
            compressor = new MessageDeflater(compressionLevel);
        }
        java.nio.ByteBuffer compressed = compressor.compress(java.nio.ByteBuffer.wrap(payload),
                client.deflate().clientNoContextTakeover());
        byte[] bytes = new byte[compressed.remaining()];
        compressed.get(bytes);
        if (fragmentSize <= 0 || bytes.length <= fragmentSize) {
            sendFrame(opcode.code(), true, DeflateConfig.RSV1, bytes, ONE_CHOP);
            return;
        }
        List<byte[]> frames = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += fragmentSize) {
            int end = Math.min(bytes.length, at + fragmentSize);
            frames.add(frame(at == 0 ? opcode.code() : Opcode.CONTINUATION.code(), end == bytes.length,
                    at == 0 ? DeflateConfig.RSV1 : 0, Arrays.copyOfRange(bytes, at, end)));
        }
        sendFrames(ONE_CHOP, frames.toArray(byte[][]::new));
    }

    /** The server does not implement what the case tests. */
    void unimplemented(String reason) {
        unimplemented = reason;
    }

    // ---------------------------------------------------------------------------------------------------------
    // What a conforming server does

    void expectText(String text) {
        expected.add(Observed.message(utf8(text), false));
    }

    void expectText(byte[] utf8) {
        expected.add(Observed.message(utf8, false));
    }

    void expectBinary(byte[] payload) {
        expected.add(Observed.message(payload, true));
    }

    void expectPong(byte[] payload) {
        expected.add(Observed.pong(payload));
    }

    /** What is also acceptable, as NON-STRICT, instead of the expected list (for example: no echo at all). */
    void nonStrictAlternative(List<Observed> alternative) {
        nonStrictAlternative = List.copyOf(alternative);
    }

    /** The server must fail the connection: a Close with one of these codes, or TCP dropped. */
    void expectFail(int... codes) {
        closeExpectation = CloseExpectation.FAIL;
        closeCodes = codes;
    }

    /** The client closes, and the server must answer with one of these codes (none given: any code). */
    void expectCleanClose(int... codes) {
        closeExpectation = CloseExpectation.CLEAN;
        closeCodes = codes;
    }

    /** The RFC leaves the outcome open: record what happens, never fail on the messages. */
    void informational() {
        informational = true;
        closeExpectation = CloseExpectation.ANY;
    }

    /** The server behaved acceptably but not strictly (for example it failed late). */
    void markNonStrict(String reason) {
        nonStrictReason = reason;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Waiting

    /** Reads until everything expected so far has arrived, the server closed, or the timeout passed. */
    void awaitExpected() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < expected.size() && !closeReceived && !client.isTcpClosed()) {
            if (!pump(deadline)) {
                return;
            }
        }
    }

    /** Waits up to {@code wait} for the server to close (Close frame or TCP); true if it did. */
    boolean awaitServerClose(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!closeReceived && !client.isTcpClosed()) {
            if (!pump(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Handles one event; false when the deadline passed with nothing. */
    private boolean pump(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        WireClient.Event event = client.next(Duration.ofNanos(left));
        if (event == null) {
            return false;
        }
        if (event instanceof WireClient.Violation violation) {
            protocolBreach = "the server sent an invalid frame: " + violation.violation().reason();
            client.close();
        } else if (event instanceof WireClient.TcpClosed) {
            if (closedBy.isEmpty()) {
                closedBy = "tcp";
            }
        } else if (event instanceof WireClient.Frame frame) {
            onFrame(frame);
        }
        return true;
    }

    private void onFrame(WireClient.Frame frame) {
        switch (frame.opcode()) {
            case TEXT, BINARY -> {
                message = new ByteArrayOutputStream();
                messageBinary = frame.opcode() == Opcode.BINARY;
                messageCompressed = (frame.rsv() & DeflateConfig.RSV1) != 0;
                appendFragment(frame);
            }
            case CONTINUATION -> appendFragment(frame);
            case PONG -> received.add(Observed.pong(frame.payload()));
            case PING -> {
                if (!closeSent) {
                    reply(Opcode.PONG, frame.payload()); // a keepalive: answer it
                }
            }
            case CLOSE -> {
                closeReceived = true;
                byte[] payload = frame.payload();
                if (payload.length >= 2) {
                    remoteCloseCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                    remoteCloseReason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
                }
                if (closedBy.isEmpty()) {
                    closedBy = closeSent ? "client" : "server";
                }
                if (!closeSent) {
                    // §5.5.1: answer a Close with a Close echoing its code.
                    reply(Opcode.CLOSE, payload.length >= 2 ? Arrays.copyOf(payload, 2) : new byte[0]);
                }
            }
            default -> throw new IllegalStateException("unexpected opcode " + frame.opcode());
        }
    }

    /**
     * Answers the server. A server may close TCP right after its Close, so the answer can find the socket gone;
     * that is not a failure of the case: reading on shows how TCP ended.
     */
    private void reply(Opcode opcode, byte[] payload) {
        try {
            sendFrame(opcode.code(), true, 0, payload, ONE_CHOP);
        } catch (IOException e) {
            log.note("could not answer " + opcode + ": " + e.getMessage());
            if (opcode == Opcode.CLOSE) {
                closeSent = true;
            }
        }
    }

    private void appendFragment(WireClient.Frame frame) {
        if (message == null) {
            protocolBreach = "the server sent a continuation frame with no message to continue";
            return;
        }
        message.writeBytes(frame.payload());
        if (frame.fin()) {
            byte[] payload = message.toByteArray();
            message = null;
            if (messageCompressed) {
                payload = inflate(payload);
                if (payload == null) {
                    return;
                }
            }
            received.add(Observed.message(payload, messageBinary));
        }
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
            protocolBreach = "the server sent a compressed message that does not inflate: " + e.getMessage();
            return null;
        }
        if (client.deflate().serverNoContextTakeover() || inflater.finished()) {
            inflater.reset();
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closing and judging

    /** Brings the connection to its end as the case expects: close it ourselves, or wait for the server to. */
    void finish() throws IOException {
        try {
            closeConnection();
        } finally {
            inflater.end();
            if (compressor != null) {
                compressor.close();
            }
        }
    }

    private void closeConnection() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (closeExpectation != CloseExpectation.FAIL && !closeSent && !closeReceived && !client.isTcpClosed()
                && protocolBreach == null) {
            sendClose(1000, "");
            closedBy = "client";
        }
        // Read on until the server closes TCP (§7.1.1: the server closes it first).
        while (!client.isTcpClosed() && protocolBreach == null) {
            if (!pump(deadline)) {
                break;
            }
        }
    }

    CaseResult verdict(ConformanceCase testCase, long durationMillis) {
        Verdict behavior;
        String messages;
        if (protocolBreach != null) {
            behavior = Verdict.FAILED;
            messages = protocolBreach + ".";
        } else if (unimplemented != null) {
            behavior = Verdict.UNIMPLEMENTED;
            messages = "Unimplemented: " + unimplemented + ".";
        } else if (informational) {
            behavior = Verdict.INFORMATIONAL;
            messages = "Received " + received + " (the RFC leaves this open).";
        } else if (received.equals(expected)) {
            behavior = nonStrictReason == null ? Verdict.OK : Verdict.NON_STRICT;
            messages = "Received what was expected" + (nonStrictReason == null ? "." : ", but " + nonStrictReason + ".");
        } else if (nonStrictAlternative != null && received.equals(nonStrictAlternative)) {
            behavior = Verdict.NON_STRICT;
            messages = "Received " + received + ", an acceptable alternative to " + expected + ".";
        } else {
            behavior = Verdict.FAILED;
            messages = "Expected " + expected + " but received " + received + ".";
        }
        Verdict behaviorClose;
        String close;
        boolean tcpClosed = client.isTcpClosed();
        boolean codeAllowed = closeCodes.length == 0 || Arrays.stream(closeCodes).anyMatch(c -> c == remoteCloseCode);
        String allowed = Arrays.toString(closeCodes);
        switch (closeExpectation) {
            case FAIL -> {
                if (closeReceived && codeAllowed && tcpClosed) {
                    behaviorClose = Verdict.OK;
                    close = "The server failed the connection with " + remoteCloseCode + " and closed TCP.";
                } else if (!closeReceived && tcpClosed) {
                    behaviorClose = Verdict.OK;
                    close = "The server failed the connection by dropping TCP.";
                } else if (closeReceived && !codeAllowed) {
                    behaviorClose = Verdict.FAILED;
                    close = "Expected a close code in " + allowed + " but got " + remoteCloseCode + ".";
                } else {
                    behaviorClose = Verdict.FAILED;
                    close = "Expected the server to fail the connection" + (closeReceived
                            ? " and close TCP; it sent Close but kept TCP open." : "; it did not.");
                }
            }
            case CLEAN -> {
                if (closeReceived && codeAllowed && tcpClosed) {
                    behaviorClose = Verdict.OK;
                    close = "Clean close with " + (remoteCloseCode < 0 ? "no code" : remoteCloseCode) + ".";
                } else if (!closeReceived) {
                    behaviorClose = Verdict.FAILED;
                    close = "Expected a Close in reply with a code in " + allowed + "; " + (tcpClosed
                            ? "TCP was dropped without one." : "none came.");
                } else if (!codeAllowed) {
                    behaviorClose = Verdict.FAILED;
                    close = "Expected a close code in " + allowed + " but got " + remoteCloseCode + ".";
                } else {
                    behaviorClose = Verdict.FAILED;
                    close = "The server sent Close but did not close TCP (§7.1.1).";
                }
            }
            default -> {
                behaviorClose = closeReceived || tcpClosed ? Verdict.OK : Verdict.FAILED;
                close = closeReceived ? "Closed with " + remoteCloseCode + "." : tcpClosed ? "TCP closed."
                        : "The connection was never closed.";
            }
        }
        return new CaseResult(testCase, behavior, behaviorClose, messages, close, List.copyOf(expected),
                List.copyOf(received), remoteCloseCode, remoteCloseReason, closedBy.isEmpty() ? "none" : closedBy,
                durationMillis, log.lines());
    }
}
