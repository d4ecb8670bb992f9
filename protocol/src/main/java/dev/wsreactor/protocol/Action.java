package dev.wsreactor.protocol;

/**
 * What a row of the state table does, after the state has moved. {@code Connection.run} is the one place that
 * performs them, in the order the row lists them; nothing else in the connection acts on a state change.
 *
 * <p>Three families: what goes on the wire ({@code SEND_*}), what {@link ConnectionListener#onClose} will report
 * ({@code REPORT_*}), and the timers, the application and the teardown. Some actions carry the close code and
 * reason they send or report; the others take them from the event (the application's close, the peer's Close, the
 * violation).
 */
public enum Action {
    /** The server queues its 101 Switching Protocols response (a client, which received one, has none to send). */
    SEND_101("queue the 101 Switching Protocols response"),
    /** The subprotocol and permessage-deflate agreed in the handshake take effect (§4.2.2, RFC 7692). */
    USE_AGREEMENT("take over the subprotocol and extensions the handshake agreed"),
    /** The server queues the HTTP error for a refused handshake, or its answer to a plain HTTP request. */
    SEND_HTTP_ERROR("queue the HTTP response that refuses the request or answers plain HTTP"),
    /** The server queues 500 Internal Server Error: something inside it failed during the handshake. */
    SEND_HTTP_500("queue 500 Internal Server Error"),
    /** Queues our Close with the application's code and reason (§7.1.2). */
    SEND_CLOSE("queue our Close with the application's code and reason"),
    /** Queues a Close echoing the peer's code (§5.5.1); 1000 answers a Close without one (1005 may not be sent). */
    SEND_CLOSE_ECHO("queue a Close echoing the peer's code (1000 if it had none)"),
    /** Queues a Close with the violation's code and reason (§7.1.7). */
    SEND_CLOSE_WITH_VIOLATION("queue a Close with the violation's code and reason"),
    /** Queues Close 1011: our keepalive Ping got no answer (§5.5.2). */
    SEND_CLOSE_KEEPALIVE_TIMEOUT(CloseCode.INTERNAL_ERROR, Reasons.KEEPALIVE_TIMEOUT),
    /** Queues Close 1011: something inside this process failed (§7.4.1). */
    SEND_CLOSE_INTERNAL_ERROR(CloseCode.INTERNAL_ERROR, Reasons.INTERNAL_ERROR),
    /** Queues Close 1001: no message went either way for the idle time (§7.4.1: "going away"). */
    SEND_CLOSE_IDLE_TIMEOUT(CloseCode.GOING_AWAY, Reasons.IDLE_TIMEOUT),
    /** onClose will report the code and reason of the peer's Close (1005 if it had no code). */
    REPORT_PEER_CLOSE("onClose will report the peer's code and reason"),
    /** onClose will report the violation we failed the connection with. */
    REPORT_VIOLATION("onClose will report the violation's code and reason"),
    /** onClose will report the keepalive timeout. */
    REPORT_KEEPALIVE_TIMEOUT(CloseCode.INTERNAL_ERROR, Reasons.KEEPALIVE_TIMEOUT),
    /** onClose will report the internal error. */
    REPORT_INTERNAL_ERROR(CloseCode.INTERNAL_ERROR, Reasons.INTERNAL_ERROR),
    /** onClose will report 1006: TCP closed and no Close frame had arrived (§7.1.5). */
    REPORT_NO_CLOSE_FRAME(CloseCode.ABNORMAL_CLOSURE, ""),
    /** onClose will report 1006: the closing timer ran out before the peer answered our Close (§7.1.1). */
    REPORT_NO_CLOSE_CAME_BACK(CloseCode.ABNORMAL_CLOSURE, Reasons.NO_CLOSE_CAME_BACK),
    /** Keepalive takes over from the handshake timer: a Ping after the idle time, a failure without an answer. */
    START_KEEPALIVE("keepalive (and the idle close, when on) replace the handshake timer"),
    /** The closing timer starts (or restarts): the state must be left within the close timeout. */
    START_CLOSING_TIMER("start the closing timer"),
    /** Tells the application the connection is open. */
    DELIVER_OPEN("call onOpen"),
    /** The bytes that arrived while the application decided are frames: the reader takes them, in wire order. */
    READ_HELD_INPUT("hand the bytes held while deciding to the frame reader (read on the next turn)"),
    /** Tells the application the connection is closed, with what the REPORT actions noted. */
    DELIVER_CLOSE("call onClose with the reported code and reason"),
    /** Drops everything queued (it may hold half a frame after a fault), so TCP closes at once. */
    CLOSE_TCP("drop what is queued: TCP closes at once"),
    /** TCP is gone or about to be: drop the queued output, the pending input and the message; free the codecs. */
    RELEASE("drop queued output, pending input and the message; free the codecs; stop the timers");

    /** The fixed reasons some actions carry. */
    static final class Reasons {
        static final String KEEPALIVE_TIMEOUT = "keepalive timeout: no answer to Ping";
        static final String INTERNAL_ERROR = "internal error";
        static final String NO_CLOSE_CAME_BACK = "no Close frame came back";
        static final String IDLE_TIMEOUT = "idle timeout";

        private Reasons() {
        }
    }

    private final String meaning;
    private final CloseCode code;
    private final String reason;

    Action(String meaning) {
        this.meaning = meaning;
        this.code = null;
        this.reason = null;
    }

    Action(CloseCode code, String reason) {
        boolean sends = name().startsWith("SEND_");
        this.meaning = (sends ? "queue Close " : "onClose will report ") + code.value()
                + (reason.isEmpty() ? "" : " \"" + reason + "\"");
        this.code = code;
        this.reason = reason;
    }

    /** {@return one line in plain English, used by the generated README table} */
    public String meaning() {
        return meaning;
    }

    /** The close code this action sends or reports by itself, or {@code null} when it takes the event's. */
    CloseCode code() {
        return code;
    }

    /** The reason that goes with {@link #code()}. */
    String reason() {
        return reason;
    }
}
