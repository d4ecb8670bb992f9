package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.internal.Masking;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.internal.Utf8Encoder;
import java.nio.ByteBuffer;
import java.util.function.IntSupplier;

/**
 * Everything that goes out as frames: messages encoded (UTF-8 straight into the outgoing buffer where it fits),
 * compressed when permessage-deflate is on, split into fragments when configured, masked for the client role
 * (§5.3), and control frames. It writes into the connection's {@link OutboundQueue}; whether sending is allowed
 * at all is the state table's business, decided before anything reaches here.
 */
final class FrameWriter {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final OutboundQueue output;
    private final boolean masked;
    private final IntSupplier maskKeys;
    private final boolean server;
    private final int fragmentSize;
    private final DeflateConfig deflateConfig;
    private final MessageDeflater sharedDeflater; // the I/O layer's, used when we reset after each message
    private final ConnectionTrace trace;
    private PerMessageDeflate.Agreement deflate; // null unless the handshake agreed permessage-deflate
    private int windowBits; // the window our messages must keep within (§7.1.2), from the agreement
    private MessageDeflater ownDeflater; // created on first use
    // The frame being written by begin() and end(): no object per frame.
    private int maskKey;
    private int payloadStart;

    FrameWriter(Role role, ConnectionConfig config, OutboundQueue output, IntSupplier maskKeys,
            MessageDeflater sharedDeflater, ConnectionTrace trace) {
        this.output = output;
        this.masked = role.masksOutgoingFrames();
        this.maskKeys = maskKeys;
        this.server = role == Role.SERVER;
        this.fragmentSize = config.fragmentSize();
        this.deflateConfig = config.deflate();
        this.sharedDeflater = sharedDeflater;
        this.trace = trace;
    }

    void useDeflate(PerMessageDeflate.Agreement agreement) {
        this.deflate = agreement;
        this.windowBits = agreement.windowBitsOf(server ? Role.SERVER : Role.CLIENT);
    }

    void text(CharSequence text) {
        int length = Utf8Encoder.encodedLength(text);
        if (!compresses(length) && isOneFrame(length)
                && FrameEncoder.headerLength(length, masked) + length <= output.pool().bufferSize()) {
            // The common case: the characters are encoded straight into the outgoing buffer, no array between.
            ByteBuffer dst = begin(Opcode.TEXT, true, 0, length, length);
            try {
                Utf8Encoder.encode(text, dst); // the application's CharSequence may throw
            } catch (RuntimeException | Error fault) {
                output.cancelReservation(); // no half frame stays behind: a Close can still follow
                throw fault;
            }
            end(dst, Opcode.TEXT, true, 0, length);
            return;
        }
        // Compressed or fragmented: encoded into a pooled buffer first, which every path below copies out of.
        ByteBuffer encoded = output.pool().acquire(length);
        try {
            Utf8Encoder.encode(text, encoded);
            message(Opcode.TEXT, encoded.flip(), length);
        } finally {
            output.pool().release(encoded);
        }
    }

    /** A binary message made of {@code data}'s remaining bytes (consumed). */
    void binary(ByteBuffer data) {
        message(Opcode.BINARY, data, data.remaining());
    }

    /**
     * A binary message in a buffer from the output's pool that the output now owns: sent as it is (masked in place
     * for a client) behind a header of its own, with no copy, unless it is small, compressed or split into
     * fragments, when it is encoded as any message and the buffer goes back to the pool at once.
     */
    void binaryKept(ByteBuffer kept) {
        int length = kept.remaining();
        if (compresses(length) || !isOneFrame(length) || length <= output.pool().bufferSize() / 4) {
            // A small one is cheaper copied beside its header than queued as a buffer of its own.
            try {
                binary(kept);
            } finally {
                output.pool().release(kept);
            }
            return;
        }
        end(begin(Opcode.BINARY, true, 0, length, 0), Opcode.BINARY, true, 0, length); // the header alone
        if (masked) {
            Masking.unmask(kept, kept.position(), kept.limit(), maskKey, 0);
        }
        output.addOwned(kept);
        output.markFrameEnd();
    }

    /**
     * One frame of a message written piece by piece: the first with the message's opcode, the rest CONTINUATION
     * (§5.4), never compressed (RFC 7692 §6: a message may go uncompressed) nor split further.
     */
    void fragment(Opcode opcode, boolean fin, ByteBuffer payload) {
        frame(opcode, fin, 0, payload);
    }

    /** A data frame's opcode; a control opcode here is the caller's mistake. */
    static void checkFragmentOpcode(Opcode opcode) {
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY && opcode != Opcode.CONTINUATION) {
            throw new IllegalArgumentException("a message's frame is TEXT, BINARY or CONTINUATION, not " + opcode);
        }
    }

    /** §5.5: a control frame's payload is at most 125 bytes; a longer one is the caller's mistake. */
    static void checkControlPayload(ByteBuffer payload) {
        if (payload.remaining() > FrameDecoder.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload longer than 125 bytes");
        }
    }

    void control(Opcode opcode, ByteBuffer payload) {
        frame(opcode, true, 0, payload);
    }

    void ping() {
        control(Opcode.PING, EMPTY); // nothing remains to be read, so the shared buffer is never moved
    }

    void close(CloseCode code, String reason) {
        control(Opcode.CLOSE, ClosePayload.encode(code, reason));
    }

    /** A frame encoded once for many connections: queued as a read-only view, never copied or changed. */
    void shared(ByteBuffer frame) {
        output.addShared(frame);
    }

    /** Gives the compressor's native memory back as soon as the connection is closed. */
    void release() {
        if (ownDeflater != null) {
            ownDeflater.close();
            ownDeflater = null;
        }
    }

    /** RFC 7692 §6: a message may go uncompressed even when the extension is on; small ones do. */
    private boolean compresses(int length) {
        return deflate != null && length >= deflateConfig.threshold();
    }

    private boolean isOneFrame(int length) {
        return fragmentSize == 0 || length <= fragmentSize;
    }

    private void message(Opcode opcode, ByteBuffer data, int length) {
        if (!compresses(length)) {
            fragments(opcode, data, 0);
            return;
        }
        boolean resetAfter = server ? deflate.serverNoContextTakeover() : deflate.clientNoContextTakeover();
        // A small window is compressed without context (MessageDeflater), so the shared compressor serves it too.
        boolean contextFree = resetAfter || windowBits < MessageDeflater.MAX_WINDOW_BITS;
        MessageDeflater deflater = sharedDeflater != null && contextFree ? sharedDeflater : ownDeflater();
        // The compressed bytes are a view of the deflater's scratch: copied into the output before its next use.
        fragments(opcode, deflater.compress(data, resetAfter, windowBits), DeflateConfig.RSV1);
    }

    private MessageDeflater ownDeflater() {
        if (ownDeflater == null) {
            ownDeflater = new MessageDeflater(deflateConfig.level());
        }
        return ownDeflater;
    }

    /** Splits a message into frames of at most {@code fragmentSize} bytes; {@code rsv} goes on the first only. */
    private void fragments(Opcode opcode, ByteBuffer data, int rsv) {
        if (isOneFrame(data.remaining())) {
            frame(opcode, true, rsv, data);
            return;
        }
        int limit = data.limit();
        Opcode frameOpcode = opcode;
        int frameRsv = rsv;
        while (true) {
            int end = Math.min(limit, data.position() + fragmentSize);
            boolean last = end == limit;
            data.limit(end);
            frame(frameOpcode, last, frameRsv, data);
            data.limit(limit);
            if (last) {
                return;
            }
            frameOpcode = Opcode.CONTINUATION; // §5.4: the later fragments are continuation frames
            frameRsv = 0; // RFC 7692 §6.1: RSV1 on the first frame of a message only
        }
    }

    private void frame(Opcode opcode, boolean fin, int rsv, ByteBuffer payload) {
        int length = payload.remaining();
        if (FrameEncoder.headerLength(length, masked) + length <= output.pool().bufferSize()) {
            ByteBuffer dst = begin(opcode, fin, rsv, length, length);
            dst.put(payload);
            end(dst, opcode, fin, rsv, length);
        } else {
            // Larger than one pooled buffer: the header alone, then the payload spread over as many as it needs.
            end(begin(opcode, fin, rsv, length, 0), opcode, fin, rsv, length);
            output.append(payload, masked, maskKey);
        }
        output.markFrameEnd(); // a slow consumer's unsent frames can be dropped from here on, whole
    }

    /** Reserves room for the header and {@code room} payload bytes, writes the header, and returns the buffer. */
    private ByteBuffer begin(Opcode opcode, boolean fin, int rsv, int length, int room) {
        maskKey = masked ? maskKeys.getAsInt() : 0;
        ByteBuffer dst = output.reserve(FrameEncoder.headerLength(length, masked) + room);
        FrameEncoder.writeHeader(dst, opcode, fin, rsv, masked, maskKey, length);
        payloadStart = dst.position();
        return dst;
    }

    /** Masks what was written after the header (a client's frames, §5.3) and commits it. */
    private void end(ByteBuffer dst, Opcode opcode, boolean fin, int rsv, int length) {
        if (masked) {
            Masking.unmask(dst, payloadStart, dst.position(), maskKey, 0);
        }
        output.commit(dst);
        trace.frame(">>", opcode, fin, rsv, length);
    }
}
