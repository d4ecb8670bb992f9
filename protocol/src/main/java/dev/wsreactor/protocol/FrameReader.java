package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;

/**
 * Everything that comes in as frames, once the handshake is done: the {@link FrameDecoder} finds the frames, data
 * goes to the {@link InboundMessage} being received, a Ping is answered, and a valid Close goes to the state table.
 *
 * <p>Fairness: when inflating has used up this turn's slice ({@link MessageInflater#SLICE}), the decoder stops
 * after the frame part it was given and the rest of the read is copied into a buffer of its own (at most one
 * read's worth); {@link #resume()} goes on with it on a later turn, first the paused message, then the frames
 * behind it, in wire order. The buffer is dropped as soon as it is read.
 */
final class FrameReader implements FrameListener {

    /** What the reader needs from the connection's state. */
    interface Peer {
        /** Whether a Ping is answered now: only while we may still send (§5.5.1: nothing after our Close). */
        boolean answersPings();

        /** A well-formed Close arrived (§5.5.1). */
        void closeReceived(CloseCode code, String reason);

        /** A data frame began: a message is arriving (the idle close counts it). */
        void dataArrived();
    }

    private final Role role;
    private final ConnectionConfig config;
    private final InboundMessage message;
    private final FrameWriter writer;
    private final ConnectionListener listener;
    private final Peer peer;
    private final ConnectionTrace trace;
    private FrameDecoder decoder;
    private ByteBuffer pending; // the rest of a read, kept while inflating waits for the next turn

    FrameReader(Role role, ConnectionConfig config, ConnectionListener listener, FrameWriter writer, BufferPool pool,
            Peer peer, ConnectionTrace trace) {
        this.role = role;
        this.config = config;
        this.message = new InboundMessage(listener, config.maxMessageSize(), pool);
        this.writer = writer;
        this.listener = listener;
        this.peer = peer;
        this.trace = trace;
        this.decoder = new FrameDecoder(role, config.maxFramePayload(), config.maxMessageSize(), 0);
    }

    /** permessage-deflate was agreed: the peer's no_context_takeover lets the inflater reset after each message. */
    void useDeflate(PerMessageDeflate.Agreement agreement) {
        message.useDeflate(role == Role.SERVER ? agreement.clientNoContextTakeover()
                : agreement.serverNoContextTakeover());
        // RFC 7692 §6: RSV1 marks a compressed message, on its first frame only.
        decoder = new FrameDecoder(role, config.maxFramePayload(), config.maxMessageSize(), DeflateConfig.RSV1);
    }

    /** See {@link Connection#keep}. */
    ByteBuffer keepMessage(ByteBuffer data) {
        return message.keep(data);
    }

    /** Whether input waits for {@link #resume()}: a paused inflation, or bytes kept behind it. */
    boolean hasPendingInput() {
        return message.isPaused() || pending != null;
    }

    /** Reads a new turn's input; every byte is consumed or kept. Returns the violation that stops reading, or null. */
    ProtocolViolation read(ByteBuffer in) {
        if (hasPendingInput()) {
            // The I/O layer read on although input waits: everything is read now, as before slices, so that no
            // more than one read's worth is ever held. Fairness needs an I/O layer that waits.
            message.startSlice(Integer.MAX_VALUE);
            keep(in); // behind what is already waiting, so the order stays the wire's
            return readPending();
        }
        message.startSlice(MessageInflater.SLICE);
        ProtocolViolation violation = decoder.decode(in, this);
        if (violation == null && message.isPaused()) {
            keep(in);
        }
        return violation;
    }

    /** Keeps {@code bytes} (held before the connection opened) to be read by {@link #resume()} on a later turn. */
    void readLater(ByteBuffer bytes) {
        if (bytes != null) {
            keep(bytes);
        }
    }

    /** Goes on with what waits, in a new turn's slice. */
    ProtocolViolation resume() {
        message.startSlice(MessageInflater.SLICE);
        return readPending();
    }

    /** Nothing more is read (§5.5.1: nothing after a Close; §7.1.7: nothing after failing). */
    void stop() {
        decoder.stop();
        message.abandon();
        pending = null;
    }

    /** The connection is closed: the message's memory and the inflater's native memory go. */
    void release() {
        stop();
        message.release();
    }

    private ProtocolViolation readPending() {
        if (message.isPaused()) {
            ProtocolViolation violation = message.resume();
            if (violation == null && message.isPaused()) {
                tracePause();
            }
            if (violation != null || message.isPaused()) {
                return violation;
            }
        }
        ByteBuffer waiting = pending;
        if (waiting == null) {
            return null;
        }
        ProtocolViolation violation = decoder.decode(waiting, this); // may pause again: the rest stays here
        if (violation != null || !waiting.hasRemaining()) {
            pending = null; // (a Close read from it has stopped the reader, which dropped it already)
        }
        return violation;
    }

    private void tracePause() {
        trace.line("input paused for this turn after inflating ", message.inflatedThisSlice() + " bytes");
    }

    /** Copies what is left of {@code in} behind the input already waiting. */
    private void keep(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return;
        }
        int waiting = pending == null ? 0 : pending.remaining();
        ByteBuffer kept = ByteBuffer.allocate(waiting + in.remaining());
        if (pending != null) {
            kept.put(pending);
        }
        pending = kept.put(in).flip();
    }

    // What the decoder finds (a package-private class: none of it shows in the connection's API).

    @Override
    public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
        trace.frame("<<", opcode, fin, rsv, payloadLength);
        peer.dataArrived();
        message.frameStart(opcode, fin, rsv, payloadLength);
        return null;
    }

    @Override
    public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
        ProtocolViolation violation = message.payload(chunk, endOfFrame);
        if (message.isPaused()) {
            decoder.pause(); // the rest of this read waits for a later turn
            tracePause();
        }
        return violation;
    }

    @Override
    public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
        trace.frame("<<", opcode, true, 0, payload.remaining());
        switch (opcode) {
            case PING -> {
                if (peer.answersPings()) {
                    // §5.5.2: "an endpoint MUST send a Pong frame in response", with "identical Application data".
                    writer.control(Opcode.PONG, payload.duplicate());
                }
                listener.onPing(payload);
            }
            case PONG -> listener.onPong(payload);
            case CLOSE -> {
                ProtocolViolation violation = ClosePayload.check(payload);
                if (violation != null) {
                    return violation;
                }
                peer.closeReceived(ClosePayload.code(payload), ClosePayload.reason(payload));
            }
            default -> throw new AssertionError(opcode);
        }
        return null;
    }
}
