package dev.wsreactor.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A close status code (RFC 6455 §7.4). The set is open: 3000-3999 are registered by IANA and 4000-4999 are
 * private, so this is a value type with named constants rather than an enum.
 *
 * <p>Three codes exist only to report what happened locally and never travel in a Close frame
 * (§7.4.1): {@link #NO_STATUS_RECEIVED}, {@link #ABNORMAL_CLOSURE} and {@link #TLS_HANDSHAKE_FAILED}.
 *
 * @param value the code, 0 to 65535
 */
public record CloseCode(int value) {

    /** 1000: the purpose of the connection is fulfilled. */
    public static final CloseCode NORMAL_CLOSURE = new CloseCode(1000);
    /** 1001: the endpoint is going away (a server shutting down, a browser leaving the page). */
    public static final CloseCode GOING_AWAY = new CloseCode(1001);
    /** 1002: the peer broke the protocol. */
    public static final CloseCode PROTOCOL_ERROR = new CloseCode(1002);
    /** 1003: a message of a type the endpoint cannot accept (text to a binary-only endpoint). */
    public static final CloseCode UNSUPPORTED_DATA = new CloseCode(1003);
    /** Local only: a Close frame arrived without a status code. */
    public static final CloseCode NO_STATUS_RECEIVED = new CloseCode(1005);
    /** Local only: the connection ended without a Close frame. */
    public static final CloseCode ABNORMAL_CLOSURE = new CloseCode(1006);
    /** 1007: a message whose data does not match its type, such as text that is not UTF-8. */
    public static final CloseCode INVALID_PAYLOAD = new CloseCode(1007);
    /** 1008: a message that breaks the endpoint's policy, when no more specific code fits. */
    public static final CloseCode POLICY_VIOLATION = new CloseCode(1008);
    /** 1009: a message too big to process. */
    public static final CloseCode MESSAGE_TOO_BIG = new CloseCode(1009);
    /** 1010: a client leaves because the server did not agree to an extension it needs. */
    public static final CloseCode MANDATORY_EXTENSION = new CloseCode(1010);
    /** 1011: the endpoint met a condition that kept it from fulfilling the request. */
    public static final CloseCode INTERNAL_ERROR = new CloseCode(1011);
    /** 1012: the service is restarting (IANA registry). */
    public static final CloseCode SERVICE_RESTART = new CloseCode(1012);
    /** 1013: the service is overloaded; try again later (IANA registry). */
    public static final CloseCode TRY_AGAIN_LATER = new CloseCode(1013);
    /** 1014: a gateway or proxy got an invalid response from upstream (IANA registry). */
    public static final CloseCode BAD_GATEWAY = new CloseCode(1014);
    /** Local only: the TLS handshake failed. */
    public static final CloseCode TLS_HANDSHAKE_FAILED = new CloseCode(1015);

    /**
     * Checks that the code fits in the two bytes a Close frame gives it.
     *
     * @param value the code
     * @throws IllegalArgumentException if it is negative or above 65535
     */
    public CloseCode {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("close code must fit in 16 bits: " + value);
        }
    }

    /**
     * {@return the close code with this value}
     *
     * @param value the code, 0 to 65535
     */
    public static CloseCode of(int value) {
        return new CloseCode(value);
    }

    /**
     * Whether the code may appear in a Close frame on the wire (§7.4.1, §7.4.2): 1000-1003, 1007-1014
     * and the registered and private ranges 3000-4999. Everything else received is a protocol error.
     *
     * @return true if a Close frame may carry it
     */
    public boolean isAllowedOnWire() {
        return isAllowedOnWire(value);
    }

    /**
     * Checks that a Close frame may carry this code with this reason, as the application's {@code close} must.
     *
     * @param reason the reason to go with it
     * @throws IllegalArgumentException for a code that may not be sent (§7.4.1: 1005, 1006, 1015, unassigned
     *     ones) or a reason longer than 123 bytes of UTF-8 (§5.5: a control frame's payload is at most 125)
     */
    public void checkSendable(String reason) {
        if (!isAllowedOnWire()) {
            throw new IllegalArgumentException("close code " + this + " may not be sent in a Close frame");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason longer than 123 bytes of UTF-8");
        }
    }

    /**
     * Whether a code may appear in a Close frame on the wire, as {@link #isAllowedOnWire()}.
     *
     * @param value the code as read from the frame
     * @return true if a Close frame may carry it
     */
    public static boolean isAllowedOnWire(int value) {
        if (value >= 3000 && value <= 4999) {
            return true;
        }
        return (value >= 1000 && value <= 1003) || (value >= 1007 && value <= 1014);
    }

    /** {@return a short English name for the known codes, for logs and traces} */
    public String describe() {
        return switch (value) {
            case 1000 -> "normal closure";
            case 1001 -> "going away";
            case 1002 -> "protocol error";
            case 1003 -> "unsupported data";
            case 1005 -> "no status received";
            case 1006 -> "abnormal closure";
            case 1007 -> "invalid payload data";
            case 1008 -> "policy violation";
            case 1009 -> "message too big";
            case 1010 -> "mandatory extension";
            case 1011 -> "internal error";
            case 1012 -> "service restart";
            case 1013 -> "try again later";
            case 1014 -> "bad gateway";
            case 1015 -> "TLS handshake failed";
            default -> value >= 4000 && value <= 4999 ? "private use" : value >= 3000 && value <= 3999 ? "registered" : "unknown";
        };
    }

    @Override
    public String toString() {
        return value + " (" + describe() + ")";
    }
}
