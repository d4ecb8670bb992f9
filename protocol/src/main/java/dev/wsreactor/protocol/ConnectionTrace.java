package dev.wsreactor.protocol;


/**
 * The trace lines of one connection: each transition with its actions, each frame sent or received (direction,
 * opcode, FIN, RSV, length; never the payload) and a few notes. Nothing is built while tracing is off.
 *
 * <p>The tracer is the application's code: if it throws, the line is lost, never the connection.
 */
final class ConnectionTrace {

    private static final ConnectionTrace OFF = new ConnectionTrace(Tracer.OFF);

    private final Tracer tracer;
    private final boolean enabled;

    private ConnectionTrace(Tracer tracer) {
        this.tracer = tracer;
        this.enabled = tracer.enabled();
    }

    /** One per traced connection; untraced connections share one that does nothing. */
    static ConnectionTrace of(Tracer tracer) {
        return tracer.enabled() ? new ConnectionTrace(tracer) : OFF;
    }

    /** {@code state OPEN --CLOSE_SENT--> CLOSING_BY_US  (SEND_CLOSE, START_CLOSING_TIMER; §7.1.2)} */
    void transition(Transition row) {
        if (enabled) {
            emit("state " + row.from() + " --" + row.trigger() + "--> " + row.to() + "  (" + row.actionNames() + "; "
                    + row.rfc() + ")");
        }
    }

    /** {@code >> TEXT fin=1 rsv=000 len=5}; {@code <<} for a frame received. */
    void frame(String direction, Opcode opcode, boolean fin, int rsv, long length) {
        if (enabled) {
            emit(direction + " " + opcode + " fin=" + (fin ? 1 : 0) + " rsv="
                    + Integer.toBinaryString(8 | rsv).substring(1) + " len=" + length);
        }
    }

    void line(String line) {
        if (enabled) {
            emit(line);
        }
    }

    /** The line is built only when tracing is on: for notes made of several parts. */
    void line(String first, Object second) {
        if (enabled) {
            emit(first + second);
        }
    }

    private void emit(String line) {
        try {
            tracer.trace(line);
        } catch (RuntimeException | Error ignored) {
            // A broken tracer loses its line; the connection goes on as if tracing were off.
        }
    }
}
