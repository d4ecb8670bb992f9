package dev.wsreactor.protocol;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses permessage-deflate messages as their frames arrive (RFC 7692 §7.2.2), never holding the compressed
 * message: each chunk is inflated at once into a small scratch buffer and passed on.
 *
 * <p>The size limit applies to the inflated bytes and is checked after every scratch-full, so a decompression
 * bomb stops within one scratch buffer of the limit rather than after it has filled memory.
 */
final class MessageInflater {

    /** What receives the inflated bytes; the buffer is valid only during the call. */
    interface Sink {
        ProtocolViolation accept(ByteBuffer inflated);
    }

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

    /** @param resetAfterMessage the client does not keep its context (client_no_context_takeover) */
    MessageInflater(boolean resetAfterMessage) {
        this.resetAfterMessage = resetAfterMessage;
    }

    /**
     * Inflates the chunk's remaining bytes (consumed); at the end of the message appends the tail the sender
     * removed (§7.2.2) and finishes. Returns a violation to fail the connection with, or null.
     */
    ProtocolViolation inflate(ByteBuffer compressed, boolean endOfMessage, long maxMessageSize, Sink sink) {
        ProtocolViolation violation = feed(compressed, maxMessageSize, sink);
        if (violation == null && endOfMessage) {
            violation = feed(tail.clear(), maxMessageSize, sink);
            inflatedInMessage = 0;
            if (resetAfterMessage || inflater.finished()) {
                inflater.reset(); // a sender may also end its stream with a final block: start a new one
            }
        }
        return violation;
    }

    /** Forgets the current message (the connection failed or is closing). */
    void abandonMessage() {
        inflatedInMessage = 0;
        inflater.reset();
    }

    private ProtocolViolation feed(ByteBuffer input, long maxMessageSize, Sink sink) {
        inflater.setInput(input);
        ByteBuffer scratch = SCRATCH.get();
        try {
            while (true) {
                scratch.clear();
                int n = inflater.inflate(scratch);
                if (n > 0) {
                    inflatedInMessage += n;
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
            input.position(input.limit()); // everything given is consumed, even after a failure
        }
    }

    void close() {
        inflater.end();
    }
}
