package dev.wsreactor.protocol.internal;

import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.Role;
import java.nio.ByteBuffer;

/**
 * The incremental frame parser of RFC 6455 §5.2: a small explicit machine that consumes whatever bytes it is
 * given, remembers where it stopped, and resumes there on the next call. Any split of the byte stream gives
 * the same frames, one byte at a time or many frames at once.
 *
 * <p>Every header rule is checked as soon as the header bytes that carry it have arrived, before any payload is
 * read. Data payloads are not buffered: they stream out to the {@link FrameListener} as they arrive, unmasked in
 * place, so a connection's memory does not grow with the frame size limit. Only control frames (at most 125
 * bytes) are collected whole, because a Close must be checked as one piece.
 *
 * <p>The first violation moves the decoder to {@code FAILED} for good and is returned from {@link #decode}; the
 * decoder never throws for anything the peer sends.
 */
public final class FrameDecoder {

    /** §5.5: all control frames MUST have a payload length of 125 bytes or less. */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private enum Step { FIRST_BYTE, SECOND_BYTE, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD, STOPPED, FAILED }

    private final Role role;
    private final long maxFramePayload;
    private final long maxMessagePayload;
    private final int extensionRsvBits;

    private Step step = Step.FIRST_BYTE;
    private ProtocolViolation failure;
    private boolean pauseRequested; // asked by a listener during this call of decode

    // The frame being read.
    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean masked;
    private long payloadLength;
    private int lengthBytesLeft;
    private int lengthBytesTotal;
    private int maskKey;
    private int maskBytesLeft;
    private long payloadLeft;
    private int maskOffset;

    // The message the data frames belong to (§5.4: fragments of one message, control frames may interleave).
    private boolean inFragmentedMessage;
    private long messagePayloadSoFar;

    // Control frame payloads that arrive in pieces are collected here; allocated on first need.
    private ByteBuffer controlPayload;

    /**
     * @param role our role: a server requires masked frames, a client refuses them (§5.1)
     * @param maxFramePayload the largest frame payload accepted; a larger one fails with 1009
     * @param maxMessagePayload the largest message payload (all its frames) accepted; a larger one fails with 1009
     * @param extensionRsvBits the RSV bits that negotiated extensions allow on the first frame of a data message
     */
    public FrameDecoder(Role role, long maxFramePayload, long maxMessagePayload, int extensionRsvBits) {
        this.role = role;
        this.maxFramePayload = maxFramePayload;
        this.maxMessagePayload = maxMessagePayload;
        this.extensionRsvBits = extensionRsvBits;
    }

    /**
     * Consumes bytes from {@code in} (its position advances) and reports each frame to {@code listener}.
     *
     * @return {@code null} when every byte was consumed without a problem, or the violation that stopped the
     *     decoder (then {@code in} is left where the problem was found)
     */
    @SuppressWarnings("fallthrough") // each step falls into the next while bytes last, like Netty's decoder
    public ProtocolViolation decode(ByteBuffer in, FrameListener listener) {
        pauseRequested = false; // a request is for the call it was made in, however that call ended
        while (true) {
            if (pauseRequested) {
                pauseRequested = false;
                return null; // a listener asked to stop here; the next call goes on from this byte
            }
            switch (step) {
                case FIRST_BYTE: {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    int b = in.get() & 0xFF;
                    fin = (b & 0x80) != 0;
                    rsv = (b >> 4) & 0x7;
                    opcode = Opcode.fromCode(b & 0x0F);
                    if (opcode == null) {
                        return fail(ProtocolViolation.protocolError("reserved opcode " + (b & 0x0F)));
                    }
                    ProtocolViolation problem = checkOpcodeAndFlags();
                    if (problem != null) {
                        return fail(problem);
                    }
                    step = Step.SECOND_BYTE;
                }
                // fall through
                case SECOND_BYTE: {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    int b = in.get() & 0xFF;
                    masked = (b & 0x80) != 0;
                    if (masked != role.expectsMaskedFrames()) {
                        return fail(ProtocolViolation.protocolError(masked
                                ? "a server's frames must not be masked" // §5.1
                                : "a client's frames must be masked")); // §5.1
                    }
                    int length7 = b & 0x7F;
                    if (length7 < 126) {
                        payloadLength = length7;
                        ProtocolViolation problem = lengthComplete();
                        if (problem != null) {
                            return fail(problem);
                        }
                        break;
                    }
                    if (opcode.isControl()) {
                        return fail(ProtocolViolation.protocolError("control frame longer than 125 bytes")); // §5.5
                    }
                    lengthBytesTotal = length7 == 126 ? 2 : 8;
                    lengthBytesLeft = lengthBytesTotal;
                    payloadLength = 0;
                    step = Step.EXTENDED_LENGTH;
                }
                // fall through
                case EXTENDED_LENGTH: {
                    while (lengthBytesLeft > 0) {
                        if (!in.hasRemaining()) {
                            return null;
                        }
                        payloadLength = (payloadLength << 8) | (in.get() & 0xFF);
                        lengthBytesLeft--;
                    }
                    ProtocolViolation problem = checkExtendedLength();
                    if (problem == null) {
                        problem = lengthComplete();
                    }
                    if (problem != null) {
                        return fail(problem);
                    }
                    break;
                }
                case MASKING_KEY: {
                    while (maskBytesLeft > 0) {
                        if (!in.hasRemaining()) {
                            return null;
                        }
                        maskKey = (maskKey << 8) | (in.get() & 0xFF);
                        maskBytesLeft--;
                    }
                    ProtocolViolation problem = startPayload(listener, in);
                    if (problem != null) {
                        return fail(problem);
                    }
                    break;
                }
                case PAYLOAD: {
                    ProtocolViolation problem = opcode.isControl() ? readControlPayload(in, listener) : readDataPayload(in, listener);
                    if (problem != null) {
                        return fail(problem);
                    }
                    if (step == Step.PAYLOAD) {
                        return null; // the rest of the payload has not arrived yet
                    }
                    break;
                }
                case STOPPED:
                    return null;
                case FAILED:
                    return failure;
                default:
                    throw new AssertionError(step);
            }
        }
    }

    /**
     * Stops decoding for good: later calls consume nothing. Used once a Close has arrived (§5.5.1: the peer sends
     * nothing after it). May be called from inside a listener method; decoding stops when it returns.
     */
    public void stop() {
        step = Step.STOPPED;
    }

    /**
     * Makes {@link #decode} return once the listener call in progress is done, with {@code in} positioned after
     * what was handed out; the next call goes on from there. For a listener that must wait (inflating is fair to
     * the other connections of the loop: see {@code MessageInflater}). Call it from inside a listener method.
     */
    public void pause() {
        pauseRequested = true;
    }

    /** Whether a violation has stopped this decoder. */
    public boolean hasFailed() {
        return step == Step.FAILED;
    }

    /** Whether a fragmented message has begun and its final frame has not arrived yet (§5.4). */
    public boolean isInFragmentedMessage() {
        return inFragmentedMessage;
    }

    /** Whether the decoder stands between two frames (nothing of a frame has been read yet). */
    public boolean isBetweenFrames() {
        return step == Step.FIRST_BYTE;
    }

    private ProtocolViolation checkOpcodeAndFlags() {
        if (opcode.isControl()) {
            if (!fin) {
                return ProtocolViolation.protocolError("fragmented control frame"); // §5.5
            }
            if (rsv != 0) {
                return ProtocolViolation.protocolError("RSV bits set on a control frame"); // §5.2
            }
            return null;
        }
        boolean startsMessage = opcode != Opcode.CONTINUATION;
        if (startsMessage && inFragmentedMessage) {
            return ProtocolViolation.protocolError("new data frame inside a fragmented message"); // §5.4
        }
        if (!startsMessage && !inFragmentedMessage) {
            return ProtocolViolation.protocolError("continuation frame without a message to continue"); // §5.4
        }
        int allowed = startsMessage ? extensionRsvBits : 0;
        if ((rsv & ~allowed) != 0) {
            return ProtocolViolation.protocolError("RSV bits set without a negotiated extension"); // §5.2
        }
        return null;
    }

    private ProtocolViolation checkExtendedLength() {
        if (lengthBytesTotal == 8 && payloadLength < 0) {
            return ProtocolViolation.protocolError("64-bit payload length with the most significant bit set"); // §5.2
        }
        // §5.2: "the minimal number of bytes MUST be used to encode the length".
        if (lengthBytesTotal == 2 && payloadLength < 126 || lengthBytesTotal == 8 && payloadLength <= 0xFFFF) {
            return ProtocolViolation.protocolError("payload length not in its minimal form");
        }
        return null;
    }

    private ProtocolViolation checkLength() {
        if (opcode.isControl()) {
            return null; // at most 125 bytes, checked above
        }
        if (payloadLength > maxFramePayload) {
            return ProtocolViolation.messageTooBig("frame payload exceeds " + maxFramePayload + " bytes");
        }
        long messageSoFar = opcode == Opcode.CONTINUATION ? messagePayloadSoFar : 0;
        if (payloadLength > maxMessagePayload - messageSoFar) {
            return ProtocolViolation.messageTooBig("message payload exceeds " + maxMessagePayload + " bytes");
        }
        return null;
    }

    /** The payload length is known: checks it against the limits, then reads the masking key. */
    private ProtocolViolation lengthComplete() {
        ProtocolViolation problem = checkLength();
        if (problem == null) {
            startMaskingKey();
        }
        return problem;
    }

    private void startMaskingKey() {
        maskKey = 0;
        maskBytesLeft = masked ? 4 : 0;
        step = Step.MASKING_KEY;
    }

    private ProtocolViolation startPayload(FrameListener listener, ByteBuffer in) {
        payloadLeft = payloadLength;
        maskOffset = 0;
        step = Step.PAYLOAD;
        if (opcode.isControl()) {
            return null;
        }
        if (opcode != Opcode.CONTINUATION) {
            messagePayloadSoFar = 0;
        }
        messagePayloadSoFar += payloadLength;
        inFragmentedMessage = !fin;
        ProtocolViolation problem = listener.onDataFrameStart(opcode, fin, rsv, payloadLength);
        if (problem == null && payloadLength == 0) {
            problem = deliverEmptyPayload(in, listener);
        }
        return problem;
    }

    private ProtocolViolation deliverEmptyPayload(ByteBuffer in, FrameListener listener) {
        step = Step.FIRST_BYTE;
        int position = in.position();
        int limit = in.limit();
        in.limit(position);
        ProtocolViolation problem = listener.onDataPayload(in, true);
        in.limit(limit).position(position);
        return problem;
    }

    private ProtocolViolation readDataPayload(ByteBuffer in, FrameListener listener) {
        int available = (int) Math.min(in.remaining(), payloadLeft);
        if (available == 0) {
            return null;
        }
        int start = in.position();
        int end = start + available;
        if (masked) {
            maskOffset = Masking.unmask(in, start, end, maskKey, maskOffset);
        }
        payloadLeft -= available;
        boolean endOfFrame = payloadLeft == 0;
        if (endOfFrame) {
            step = Step.FIRST_BYTE;
        }
        int limit = in.limit();
        in.limit(end);
        ProtocolViolation problem = listener.onDataPayload(in, endOfFrame);
        in.limit(limit).position(end);
        return problem;
    }

    private ProtocolViolation readControlPayload(ByteBuffer in, FrameListener listener) {
        int length = (int) payloadLength;
        boolean nothingCollected = controlPayload == null || controlPayload.position() == 0;
        if (nothingCollected && in.remaining() >= length) {
            // The whole payload is here: unmask it in place and hand out a view, no copy.
            int start = in.position();
            int end = start + length;
            if (masked) {
                Masking.unmask(in, start, end, maskKey, 0);
            }
            step = Step.FIRST_BYTE;
            int limit = in.limit();
            in.limit(end);
            ProtocolViolation problem = listener.onControlFrame(opcode, in);
            in.limit(limit).position(end);
            return problem;
        }
        if (controlPayload == null) {
            controlPayload = ByteBuffer.allocate(MAX_CONTROL_PAYLOAD);
        }
        int take = Math.min(in.remaining(), length - controlPayload.position());
        int limit = in.limit();
        in.limit(in.position() + take);
        controlPayload.put(in);
        in.limit(limit);
        if (controlPayload.position() < length) {
            return null;
        }
        controlPayload.flip();
        if (masked) {
            Masking.unmask(controlPayload, 0, length, maskKey, 0);
        }
        step = Step.FIRST_BYTE;
        ProtocolViolation problem = listener.onControlFrame(opcode, controlPayload);
        controlPayload.clear();
        return problem;
    }

    private ProtocolViolation fail(ProtocolViolation violation) {
        step = Step.FAILED;
        failure = violation;
        return violation;
    }
}
