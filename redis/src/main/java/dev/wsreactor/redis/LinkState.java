package dev.wsreactor.redis;

/** Where one of the bus's two connections to Redis (subscribing, publishing) stands. */
enum LinkState {
    /** Connecting for the first time: publishes wait in the queue. */
    CONNECTING,
    /** Connected: publishes are written, messages arrive. */
    CONNECTED,
    /** Lost, waiting out the back-off before the next attempt: publishes fail at once. */
    DOWN,
    /** The bus is closed: nothing more happens. */
    CLOSED
}
