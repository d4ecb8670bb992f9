package dev.wsreactor.reactor;

/**
 * What became of a message handed to a {@link Session}: accepted for sending, or refused and why. A refused
 * message was not queued at all; nothing of it reaches the peer.
 */
public enum SendResult {

    /**
     * Queued for sending. A peer that disappears before reading it is reported by
     * {@link WebSocketHandler#onClose} with 1006.
     */
    ACCEPTED,

    /** The session is closing or closed (a Close was sent or received): nothing more may be sent (§5.5.1). */
    CLOSED,

    /**
     * Sent from another thread while the session's queued bytes were over the server's hard limit
     * ({@code writeQueueLimits}): refused rather than piling up. Wait for {@link WebSocketHandler#onWritable}.
     */
    OVER_LIMIT;

    /**
     * Whether the message was accepted.
     *
     * @return true for {@link #ACCEPTED}
     */
    public boolean isAccepted() {
        return this == ACCEPTED;
    }
}
