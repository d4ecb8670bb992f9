package dev.wsreactor.reactor;

import dev.wsreactor.protocol.internal.Utf8Encoder;
import java.nio.ByteBuffer;

/** A message on its way out is a {@link CharSequence} (text) or a {@link ByteBuffer} (binary): copy, size. */
final class OutgoingMessages {

    private OutgoingMessages() {
    }

    /** A heap copy of the buffer's remaining bytes (consumed). */
    static ByteBuffer copy(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data).flip();
    }

    /** The session's own copy of a message: a CharSequence may change after the call (a StringBuilder). */
    static Object snapshot(Object message) {
        return message instanceof CharSequence text ? text.toString() : copy((ByteBuffer) message);
    }

    /** The bytes a message will queue: UTF-8's count for text (a char may take three), as the limits are bytes. */
    static long sizeOf(Object message) {
        return message instanceof CharSequence text ? Utf8Encoder.encodedLength(text)
                : ((ByteBuffer) message).remaining();
    }
}
