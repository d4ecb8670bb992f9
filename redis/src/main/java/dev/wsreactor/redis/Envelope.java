package dev.wsreactor.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What travels on a Redis channel: a version byte, the publish time (nanoseconds since the epoch, by the
 * publisher's clock), the publishing node's id (one length byte, then UTF-8), then the message's bytes. The time
 * lets the receiver report the lag; the node id says where a message came from.
 *
 * @param sentAtEpochNanos when it was published
 * @param nodeId the node that published it
 * @param message the message: a read-only view of the received bytes
 */
record Envelope(long sentAtEpochNanos, String nodeId, ByteBuffer message) {

    static final byte VERSION = 1;
    private static final int HEADER = 1 + Long.BYTES + 1;

    /** The id as it goes on the wire: at most 255 bytes of UTF-8. */
    static byte[] nodeIdBytes(String nodeId) {
        byte[] bytes = nodeId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException("a node id is at most 255 bytes of UTF-8");
        }
        return bytes;
    }

    /** The envelope's bytes for the message's remaining bytes (which it consumes), published now. */
    static byte[] encode(byte[] nodeId, long sentAtEpochNanos, ByteBuffer message) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + nodeId.length + message.remaining());
        out.put(VERSION).putLong(sentAtEpochNanos).put((byte) nodeId.length).put(nodeId).put(message);
        return out.array();
    }

    /** {@return the envelope in the bytes, or null if they are not one (another user of the channel)} */
    static Envelope decode(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != VERSION) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        long sentAt = in.getLong();
        int idLength = Byte.toUnsignedInt(in.get());
        if (in.remaining() < idLength) {
            return null;
        }
        String nodeId = new String(bytes, HEADER, idLength, StandardCharsets.UTF_8);
        in.position(HEADER + idLength);
        return new Envelope(sentAt, nodeId, in.slice().asReadOnlyBuffer());
    }

    /** {@return the wall-clock time now, in nanoseconds since the epoch (microsecond resolution on most systems)} */
    static long nowEpochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
