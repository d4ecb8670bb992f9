package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.Utf8Encoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One message sent as many frames, written piece by piece without ever being held whole: from
 * {@link Session#openBinaryStream()} or {@link Session#openTextStream()}. Small writes are gathered up to
 * {@link #FRAME_PAYLOAD} bytes, a larger write goes out as a frame of its own, and {@link #finish()} sends the last
 * frame (§5.4: the first frame carries the message's opcode, the others are continuations, the last has FIN). A
 * streamed message is never compressed, even where permessage-deflate was agreed (RFC 7692 §6 allows it).
 *
 * <p>While the stream is open, the session's other messages (sends from any thread, broadcasts) wait and go out
 * after its last frame, in order; Pings and Pongs may still go between its frames. So finish every stream, or the
 * session's other messages never leave. A session has at most one open stream.
 *
 * <p>Each write returns a {@link SendResult}, as a send does, and a refused one consumed nothing: from another
 * thread, a write while the session is over its hard limit is {@link SendResult#OVER_LIMIT}; wait for
 * {@link WebSocketHandler#onWritable} and write it again. A writer is used by one thread at a time.
 */
public final class MessageWriter implements AutoCloseable {

    /** Bytes gathered into one frame before it is sent. */
    public static final int FRAME_PAYLOAD = 16 * 1024 - 16;

    private final Sender sender;
    private final boolean text;
    private ByteBuffer gathered = ByteBuffer.allocate(FRAME_PAYLOAD);
    private boolean started;
    private boolean finished;
    private char cutSurrogate; // the first half of a pair a text write ended between, or 0 (no surrogate)

    MessageWriter(Sender sender, boolean text) {
        this.sender = sender;
        this.text = text;
    }

    /**
     * Writes the buffer's remaining bytes into the binary message (consumed unless refused).
     *
     * @param data the next bytes of the message
     * @return whether they were accepted, and if not why
     * @throws IllegalStateException on a text stream, or once the stream is finished
     */
    public SendResult write(ByteBuffer data) {
        check(false);
        SendResult refused = sender.streamRefusal();
        return refused != null ? refused : writeBytes(data, false);
    }

    /**
     * Writes characters into the text message. A write may end between the two halves of a surrogate pair: the
     * first half waits for the next write.
     *
     * @param characters the next characters of the message
     * @return whether they were accepted, and if not why
     * @throws IllegalStateException on a binary stream, or once the stream is finished
     */
    public SendResult write(CharSequence characters) {
        check(true);
        SendResult refused = sender.streamRefusal();
        if (refused != null) {
            return refused;
        }
        CharSequence joined = cutSurrogate == 0 ? characters
                : new StringBuilder(characters.length() + 1).append(cutSurrogate).append(characters);
        int end = joined.length();
        boolean cut = end > 0 && Character.isHighSurrogate(joined.charAt(end - 1));
        cutSurrogate = cut ? joined.charAt(end - 1) : 0;
        CharSequence whole = cut ? joined.subSequence(0, end - 1) : joined;
        // Encoded once, into a buffer of our own: a large write hands it over as it is, without another copy.
        ByteBuffer encoded = ByteBuffer.allocate(Utf8Encoder.encodedLength(whole));
        Utf8Encoder.encode(whole, encoded);
        return writeBytes(encoded.flip(), true);
    }

    /**
     * Sends what is gathered as the message's last frame; the session's other messages may go again. Harmless
     * once finished.
     *
     * @return {@link SendResult#ACCEPTED} once the last frame is queued, or {@link SendResult#CLOSED}
     */
    public SendResult finish() {
        if (finished) {
            return SendResult.ACCEPTED;
        }
        if (cutSurrogate != 0) {
            gathered.put((byte) '?'); // a lone half, as UTF-8 encoding writes it; never full between writes
            cutSurrogate = 0;
        }
        finished = true;
        SendResult result = frame(true);
        sender.streamFinished(this);
        return result;
    }

    /** As {@link #finish()}. */
    @Override
    public void close() {
        finish();
    }

    /**
     * Whether this is a text message.
     *
     * @return true for a text stream, false for a binary one
     */
    public boolean isText() {
        return text;
    }

    /**
     * The binary stream as an {@link OutputStream}: {@code write} sends, {@code close} finishes the message. Used
     * from another thread, a write waits while the session is not writable (until {@code onWritable}); on the
     * reactor thread it never waits (it must not: the queue it would wait for drains on that thread), so the
     * queue can grow there up to the hard limit, where the session is closed as a slow consumer (1008). A write
     * to a closed session throws an {@link IOException}.
     *
     * @return an output stream writing into this message
     * @throws IllegalStateException on a text stream
     */
    public OutputStream asOutputStream() {
        check(false);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
                while (true) {
                    WritableWaits.await(sender);
                    SendResult result = MessageWriter.this.write(data);
                    if (result == SendResult.ACCEPTED) {
                        return;
                    } else if (result == SendResult.CLOSED) {
                        throw new IOException("the session is closed");
                    }
                }
            }

            @Override
            public void close() {
                finish();
            }
        };
    }

    private void check(boolean textWrite) {
        if (finished) {
            throw new IllegalStateException("the message stream is finished");
        }
        if (textWrite != text) {
            throw new IllegalStateException(text ? "a text stream takes characters" : "a binary stream takes bytes");
        }
    }

    /**
     * Gathers or sends the bytes; the caller has checked that the session takes them. {@code ownCopy}: the buffer
     * is the writer's, so a large one may be handed over without a copy.
     */
    private SendResult writeBytes(ByteBuffer data, boolean ownCopy) {
        while (data.hasRemaining()) {
            if (gathered.position() == 0 && data.remaining() >= FRAME_PAYLOAD) {
                SendResult result = sender.streamFrame(opcode(), false, data, ownCopy); // big enough as it is
                started = true;
                return result;
            }
            gather(data);
            if (!gathered.hasRemaining() && frame(false) != SendResult.ACCEPTED) {
                return SendResult.CLOSED;
            }
        }
        return SendResult.ACCEPTED;
    }

    private void gather(ByteBuffer data) {
        int take = Math.min(gathered.remaining(), data.remaining());
        int limit = data.limit();
        data.limit(data.position() + take);
        gathered.put(data);
        data.limit(limit);
    }

    /** Sends what is gathered as one frame: encoded at once on the reactor thread, else handed over whole. */
    private SendResult frame(boolean fin) {
        boolean handedOver = !sender.onLoop();
        SendResult result = sender.streamFrame(opcode(), fin, gathered.flip(), true);
        started = true;
        if (fin) {
            gathered = null;
        } else {
            gathered = handedOver ? ByteBuffer.allocate(FRAME_PAYLOAD) : gathered.clear();
        }
        return result;
    }

    private Opcode opcode() {
        return started ? Opcode.CONTINUATION : text ? Opcode.TEXT : Opcode.BINARY;
    }
}
