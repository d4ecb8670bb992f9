package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.ProtocolViolation;
import dev.wsreactor.protocol.internal.Utf8Encoder;
import dev.wsreactor.protocol.internal.Utf8Validator;
import java.nio.ByteBuffer;

/**
 * The message being received, in one place (like tungstenite's {@code IncompleteMessage}): its type, whether it
 * is compressed, where its current frame stands, its UTF-8 check, its inflater and its assembly, up to delivering
 * it whole to the application.
 *
 * <p>The frame decoder has already checked every header rule (§5.2, §5.4, the frame and message size limits);
 * what is left here is the payload: text must be UTF-8 (§8.1, checked as the bytes come, failing at the first bad
 * one), a compressed message must inflate (RFC 7692 §7.2.2) within the size limit, and the pieces are put
 * together. A message that arrives whole in one chunk is delivered straight from the input buffer, no copy.
 *
 * <p>Memory: between messages nothing is held but the inflater of a compressing connection. A message put
 * together from several pieces is in a buffer from the connection's pool, given back once the listener returns,
 * unless the listener {@link #keep keeps} it.
 */
final class InboundMessage {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final ConnectionListener listener;
    private final long maxMessageSize;
    private final BufferPool pool;
    private Utf8Validator utf8; // made with the first text message: an idle connection keeps none
    private final MessageAssembler assembler;
    private ByteBuffer delivering; // the assembled message the listener has now: ours until it returns, unless kept
    private Utf8Parts textParts; // made with the first text message taken in parts
    private boolean peerResetsContext; // permessage-deflate agreed: the peer's no_context_takeover
    private MessageInflater inflater; // created with the first compressed message, with its sink
    private MessageInflater.Sink inflatedSink;

    // The message in progress: its type, whether it is compressed, and where its current frame stands.
    private Opcode opcode;
    private boolean compressed;
    private boolean inParts; // the listener takes this message part by part: nothing is assembled
    private boolean frameIsFinal;
    private long frameBytesLeft;
    private boolean pausedAtEndOfMessage; // the inflater holds the message's last bytes: deliver once resumed

    InboundMessage(ConnectionListener listener, long maxMessageSize, BufferPool pool) {
        this.listener = listener;
        this.maxMessageSize = maxMessageSize;
        this.pool = pool;
        this.assembler = new MessageAssembler(pool);
    }

    /**
     * A buffer from the pool holding {@code data}'s remaining bytes, now the caller's: the message being delivered
     * itself when {@code data} is it and it was put together in a pooled buffer (no copy), else a pooled copy.
     */
    ByteBuffer keep(ByteBuffer data) {
        if (data == delivering) {
            delivering = null; // the listener owns it now: not given back when it returns
            return data;
        }
        ByteBuffer copy = pool.acquire(data.remaining());
        return copy.put(data.duplicate()).flip();
    }

    /** What the handshake agreed; {@code peerResetsContext} is the peer's no_context_takeover (RFC 7692 §7.1.1). */
    void useDeflate(boolean peerResetsContext) {
        this.peerResetsContext = peerResetsContext;
    }

    /**
     * A new turn of the I/O loop: this many inflated bytes are allowed (see {@link MessageInflater#SLICE}). An
     * inflater created later in the turn starts with a full slice.
     */
    void startSlice(int bytes) {
        if (inflater != null) {
            inflater.startSlice(bytes);
        }
    }

    /** How many bytes this turn has inflated (for the trace). */
    int inflatedThisSlice() {
        return inflater == null ? 0 : inflater.inflatedThisSlice();
    }

    /** Whether inflating stopped for this turn with compressed bytes left: see {@link #resume()}. */
    boolean isPaused() {
        return inflater != null && inflater.isHolding();
    }

    /** A data frame begins (RSV1 marks the first frame of a compressed message, RFC 7692 §6). */
    void frameStart(Opcode frameOpcode, boolean fin, int rsv, long payloadLength) {
        if (frameOpcode != Opcode.CONTINUATION) {
            opcode = frameOpcode;
            compressed = (rsv & DeflateConfig.RSV1) != 0; // the decoder allows RSV1 only once deflate is agreed
            assembler.reset();
            inParts = listener.receivesParts();
            if (opcode == Opcode.TEXT) {
                utf8 = utf8 == null ? new Utf8Validator() : utf8;
                utf8.reset();
                if (inParts) {
                    textParts = textParts == null ? new Utf8Parts() : textParts;
                    textParts.reset();
                }
            }
        }
        frameIsFinal = fin;
        frameBytesLeft = payloadLength;
    }

    /** The next part of the current frame's payload; delivers the message when this part ends it. */
    ProtocolViolation payload(ByteBuffer chunk, boolean endOfFrame) {
        boolean endOfMessage = endOfFrame && frameIsFinal;
        frameBytesLeft -= chunk.remaining();
        if (compressed) {
            // RFC 7692 §7.2.2: inflate as the bytes come; the limit applies to the inflated size.
            ProtocolViolation violation = inflater().inflate(chunk, endOfMessage, maxMessageSize, inflatedSink);
            return violation != null ? violation : afterInflating(endOfMessage);
        }
        if (opcode == Opcode.TEXT) {
            // §8.1: fail at the first byte that cannot be valid UTF-8, without waiting for the rest of the message.
            if (utf8.validate(chunk, chunk.position(), chunk.limit()) >= 0) {
                return ProtocolViolation.invalidPayload("text message is not valid UTF-8");
            }
            if (endOfMessage && !utf8.isComplete()) {
                return ProtocolViolation.invalidPayload("text message ends inside a UTF-8 sequence");
            }
        }
        if (inParts) {
            deliverPart(chunk, endOfMessage); // the size limit was the decoder's, frame by frame
        } else if (endOfMessage && assembler.isEmpty()) {
            deliver(chunk); // the whole message is in this chunk: no copy
        } else {
            assembler.append(chunk, frameBytesLeft);
            if (endOfMessage) {
                deliverAssembled();
            }
        }
        return null;
    }

    /** Goes on inflating what the last turn left, in this turn's slice; delivers the message if that ends it. */
    ProtocolViolation resume() {
        ProtocolViolation violation = inflater.resume(maxMessageSize, inflatedSink);
        return violation != null ? violation : afterInflating(pausedAtEndOfMessage);
    }

    /** Forgets the message in progress (nothing more will be read). */
    void abandon() {
        assembler.reset();
        if (inflater != null) {
            inflater.abandonMessage();
        }
    }

    /** Forgets the message and gives the inflater's native memory back: the connection is closed. */
    void release() {
        assembler.reset();
        if (inflater != null) {
            inflater.close();
            inflater = null;
            inflatedSink = null;
        }
    }

    private MessageInflater inflater() {
        if (inflater == null) {
            inflater = new MessageInflater(peerResetsContext);
            inflatedSink = this::acceptInflated;
        }
        return inflater;
    }

    private ProtocolViolation afterInflating(boolean endOfMessage) {
        if (inflater.isHolding()) {
            pausedAtEndOfMessage = endOfMessage;
            return null;
        }
        if (!endOfMessage) {
            return null;
        }
        if (opcode == Opcode.TEXT && !utf8.isComplete()) {
            return ProtocolViolation.invalidPayload("text message ends inside a UTF-8 sequence");
        }
        if (inParts) {
            deliverPart(EMPTY, true); // what was inflated went out already
        } else {
            deliverAssembled();
        }
        return null;
    }

    /** Inflated bytes of the current message: checked as UTF-8 if text, then collected. */
    private ProtocolViolation acceptInflated(ByteBuffer inflated) {
        if (opcode == Opcode.TEXT && utf8.validate(inflated, inflated.position(), inflated.limit()) >= 0) {
            return ProtocolViolation.invalidPayload("text message is not valid UTF-8"); // §8.1, after inflating
        }
        if (inParts) {
            deliverPart(inflated, false); // within the size limit: the inflater counts every byte it gives
        } else {
            assembler.append(inflated, 0);
        }
        return null;
    }

    /** A part of a message taken in parts; empty parts are only delivered to say the message ended. */
    private void deliverPart(ByteBuffer part, boolean last) {
        if (!part.hasRemaining() && !last) {
            return;
        }
        if (opcode == Opcode.TEXT) {
            listener.onTextPart(textParts.decode(part, last), last);
        } else {
            listener.onBinaryPart(part, last);
        }
    }

    private void deliverAssembled() {
        if (assembler.isEmpty()) { // a compressed message that inflated to nothing
            assembler.reset();
            deliver(EMPTY);
            return;
        }
        ByteBuffer message = assembler.take(); // before the listener runs: what it does next must not find it
        delivering = message;
        try {
            deliver(message);
        } finally {
            if (delivering == message) {
                delivering = null;
                pool.release(message);
            }
        }
    }

    private void deliver(ByteBuffer message) {
        if (opcode == Opcode.TEXT) {
            listener.onText(Utf8Encoder.decode(message, message.position(), message.limit()));
        } else {
            listener.onBinary(message);
        }
    }
}
