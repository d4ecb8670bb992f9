package dev.wsreactor.protocol.internal;

import dev.wsreactor.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * Receives what {@link FrameDecoder} finds, in wire order, while it decodes. Each method may refuse what it is
 * given by returning a {@link ProtocolViolation}; the decoder then stops at once and reports it. {@code null}
 * means "go on".
 *
 * <p>Buffer ownership: a buffer passed here is the caller's input buffer (or the decoder's own control-frame
 * buffer), already unmasked. Only the bytes between its position and limit are this call's, and only during
 * the call: copy what you keep. Do not change the buffer's limit; moving its position is allowed.
 */
public interface FrameListener {

    /**
     * A data frame (TEXT, BINARY or CONTINUATION) begins. Every header rule of §5.2 has been checked.
     *
     * @param opcode the frame's own opcode (CONTINUATION for every frame after the first of a message)
     * @param fin whether this is the last frame of its message
     * @param rsv the three RSV bits (RSV1 is 4, RSV2 is 2, RSV3 is 1); non-zero only when an extension allows it
     * @param payloadLength the frame's payload length
     */
    ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength);

    /**
     * The next part of the current data frame's payload, as it arrives; a frame may come in many parts.
     *
     * @param endOfFrame whether this part ends the frame (an empty part ends a zero-length frame)
     */
    ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame);

    /** A whole control frame: PING, PONG or CLOSE, at most 125 bytes of payload (§5.5). */
    ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload);
}
