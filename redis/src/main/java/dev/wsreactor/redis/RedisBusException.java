package dev.wsreactor.redis;

/** Why a publish on a {@link RedisBus} failed: the bus is closed, Redis is unreachable, or the queue is full. */
public final class RedisBusException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with the reason.
     *
     * @param message the reason
     */
    public RedisBusException(String message) {
        super(message, null, false, false);
    }
}
