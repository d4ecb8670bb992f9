package dev.wsreactor.protocol;

/**
 * A close status code (RFC 6455 §7.4). The set is open: 3000-3999 are registered by IANA and 4000-4999 are
 * private, so this is a value type with named constants rather than an enum.
 *
 * <p>Three codes exist only to report what happened locally and never travel in a Close frame
 * (§7.4.1): {@link #NO_STATUS_RECEIVED}, {@link #ABNORMAL_CLOSURE} and {@link #TLS_HANDSHAKE_FAILED}.
 */
public record CloseCode(int value) {

    public static final CloseCode NORMAL_CLOSURE = new CloseCode(1000);
    public static final CloseCode GOING_AWAY = new CloseCode(1001);
    public static final CloseCode PROTOCOL_ERROR = new CloseCode(1002);
    public static final CloseCode UNSUPPORTED_DATA = new CloseCode(1003);
    /** Local only: a Close frame arrived without a status code. */
    public static final CloseCode NO_STATUS_RECEIVED = new CloseCode(1005);
    /** Local only: the connection ended without a Close frame. */
    public static final CloseCode ABNORMAL_CLOSURE = new CloseCode(1006);
    public static final CloseCode INVALID_PAYLOAD = new CloseCode(1007);
    public static final CloseCode POLICY_VIOLATION = new CloseCode(1008);
    public static final CloseCode MESSAGE_TOO_BIG = new CloseCode(1009);
    public static final CloseCode MANDATORY_EXTENSION = new CloseCode(1010);
    public static final CloseCode INTERNAL_ERROR = new CloseCode(1011);
    public static final CloseCode SERVICE_RESTART = new CloseCode(1012);
    public static final CloseCode TRY_AGAIN_LATER = new CloseCode(1013);
    public static final CloseCode BAD_GATEWAY = new CloseCode(1014);
    /** Local only: the TLS handshake failed. */
    public static final CloseCode TLS_HANDSHAKE_FAILED = new CloseCode(1015);

    public CloseCode {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("close code must fit in 16 bits: " + value);
        }
    }

    public static CloseCode of(int value) {
        return new CloseCode(value);
    }

    /**
     * Whether the code may appear in a Close frame on the wire (§7.4.1, §7.4.2): 1000-1003, 1007-1014
     * and the registered and private ranges 3000-4999. Everything else received is a protocol error.
     */
    public boolean isAllowedOnWire() {
        return isAllowedOnWire(value);
    }

    public static boolean isAllowedOnWire(int value) {
        if (value >= 3000 && value <= 4999) {
            return true;
        }
        return (value >= 1000 && value <= 1003) || (value >= 1007 && value <= 1014);
    }

    /** A short English name for the known codes, for logs and traces. */
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
