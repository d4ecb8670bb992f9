package dev.wsreactor.protocol;

import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses permessage-deflate messages as their frames arrive (RFC 7692 §7.2.2), never holding the compressed
 * message: each chunk is inflated at once into a small scratch buffer and passed on.
 *
 * <p>The size limit applies to the inflated bytes and is checked after every scratch-full, so a decompression
 * bomb stops within one scratch buffer of the limit rather than after it has filled memory.
 *
 * <p>Fairness: each turn of the I/O loop may inflate at most {@link #SLICE} bytes ({@link #startSlice} opens a
 * turn). When a turn's slice is used up with compressed bytes left, the inflater copies those bytes into a buffer
 * of its own and stops ({@link #isHolding()}); {@link #resume} goes on with them in a later turn. So a bomb that
 * inflates to the size limit no longer stalls every other connection of the loop while it does.
 */
final class MessageInflater {

    /** What receives the inflated bytes; the buffer is valid only during the call. */
    interface Sink {
        ProtocolViolation accept(ByteBuffer inflated);
    }

    /** The most inflated bytes one turn of the I/O loop produces, for all messages of the connection together. */
    static final int SLICE = 256 * 1024;

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int SCRATCH_SIZE = 16 * 1024;

    /**
     * Where inflated bytes land before the sink copies them: one per thread, not per connection (16 KiB each would
     * add up), which is safe because the sink consumes each piece before the next is inflated.
     */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(SCRATCH_SIZE));

    private final Inflater inflater = new Inflater(true);
    private final boolean resetAfterMessage;
    private final ByteBuffer tail = ByteBuffer.wrap(TAIL);
    private long inflatedInMessage;
    private int sliceSize = SLICE;
    private int sliceLeft = SLICE;
    private boolean sliceUsedUp;
    // Compressed bytes (the tail included, if the message ends with them) left when the slice ran out; owned here.
    private ByteBuffer held;
    private boolean heldEndsMessage;

    /** @param resetAfterMessage the peer does not keep its context (its no_context_takeover) */
    MessageInflater(boolean resetAfterMessage) {
        this.resetAfterMessage = resetAfterMessage;
    }

    /** A new turn of the I/O loop: {@code bytes} inflated bytes are allowed again (normally {@link #SLICE}). */
    void startSlice(int bytes) {
        sliceSize = bytes;
        sliceLeft = bytes;
    }

    /** How many bytes this turn has inflated so far. */
    int inflatedThisSlice() {
        return sliceSize - sliceLeft;
    }

    /** Whether compressed bytes wait for {@link #resume} because this turn's slice is used up. */
    boolean isHolding() {
        return held != null;
    }

    /**
     * Inflates the chunk's remaining bytes (consumed, or held when the slice runs out); at the end of the message
     * appends the tail the sender removed (§7.2.2) and finishes. Returns a violation to fail the connection with,
     * or null.
     */
    ProtocolViolation inflate(ByteBuffer compressed, boolean endOfMessage, long maxMessageSize, Sink sink) {
        ProtocolViolation violation = feed(compressed, maxMessageSize, sink);
        if (violation != null) {
            return violation;
        }
        if (sliceUsedUp) {
            hold(compressed, endOfMessage, endOfMessage);
            return null;
        }
        if (endOfMessage) {
            violation = feed(tail.clear(), maxMessageSize, sink);
            if (violation == null && sliceUsedUp) {
                hold(tail, false, true);
            } else if (violation == null) {
                endMessage();
            }
        }
        return violation;
    }

    /**
     * Goes on with the held bytes in a new slice. Returns a violation, or null; {@link #isHolding()} tells whether
     * the slice ran out again. Once nothing is held, the message has ended if the held bytes were its last.
     */
    ProtocolViolation resume(long maxMessageSize, Sink sink) {
        ProtocolViolation violation = feed(held, maxMessageSize, sink);
        if (violation != null || sliceUsedUp) {
            return violation; // still holding the rest, at its new position
        }
        held = null;
        if (heldEndsMessage) {
            heldEndsMessage = false;
            endMessage();
        }
        return null;
    }

    /** Forgets the current message (the connection failed or is closing). */
    void abandonMessage() {
        inflatedInMessage = 0;
        held = null;
        heldEndsMessage = false;
        inflater.reset();
    }

    void close() {
        held = null;
        inflater.end();
    }

    private void endMessage() {
        inflatedInMessage = 0;
        if (resetAfterMessage || inflater.finished()) {
            inflater.reset(); // a sender may also end its stream with a final block: start a new one
        }
    }

    /** Keeps what the inflater has not consumed of {@code input} (and the tail after it, when still to come). */
    private void hold(ByteBuffer input, boolean withTail, boolean endsMessage) {
        ByteBuffer copy = ByteBuffer.allocate(input.remaining() + (withTail ? TAIL.length : 0));
        copy.put(input);
        if (withTail) {
            copy.put(TAIL);
        }
        held = copy.flip();
        heldEndsMessage = endsMessage;
    }

    private ProtocolViolation feed(ByteBuffer input, long maxMessageSize, Sink sink) {
        sliceUsedUp = false;
        inflater.setInput(input);
        ByteBuffer scratch = SCRATCH.get();
        try {
            while (true) {
                if (sliceLeft == 0) {
                    sliceUsedUp = true;
                    return null; // the rest waits for the next turn; nothing of it is lost
                }
                scratch.clear().limit(Math.min(SCRATCH_SIZE, sliceLeft));
                int n = inflater.inflate(scratch);
                if (n > 0) {
                    inflatedInMessage += n;
                    sliceLeft -= n;
                    if (inflatedInMessage > maxMessageSize) {
                        return ProtocolViolation.messageTooBig("inflated message larger than " + maxMessageSize
                                + " bytes");
                    }
                    ProtocolViolation violation = sink.accept(scratch.flip());
                    if (violation != null) {
                        return violation;
                    }
                } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                    return null;
                }
            }
        } catch (DataFormatException e) {
            return ProtocolViolation.invalidPayload("compressed data is not valid DEFLATE: " + e.getMessage());
        } finally {
            if (!sliceUsedUp) {
                input.position(input.limit()); // everything given is consumed, even after a failure
            }
        }
    }
}
