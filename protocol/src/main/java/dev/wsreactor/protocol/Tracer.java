package dev.wsreactor.protocol;

/**
 * The trace switch: receives one readable line per state transition and per frame sent or received, for people
 * studying the protocol. Frames are summarised (direction, opcode, FIN, RSV, length), never their payload.
 */
@FunctionalInterface
public interface Tracer {

    /** Tracing off: the connection checks for this instance and builds no trace lines at all. */
    Tracer OFF = line -> { };

    /**
     * Receives one trace line.
     *
     * @param line the line, without a line terminator
     */
    void trace(String line);

    /** {@return whether tracing is on: false only for {@link #OFF}} */
    default boolean enabled() {
        return this != OFF;
    }
}
