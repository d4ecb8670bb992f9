package dev.wsreactor.protocol.handshake;

/** The HTTP status codes this project sends, with their reason phrases (RFC 9110 §15). */
public final class HttpStatus {

    /** 101: the opening handshake succeeded (§4.2.2). */
    public static final int SWITCHING_PROTOCOLS = 101;
    /** 200: the request succeeded (a plain HTTP response on the WebSocket port). */
    public static final int OK = 200;
    /** 400: the request is malformed or breaks a rule of §4.2.1. */
    public static final int BAD_REQUEST = 400;
    /** 401: the request lacks valid credentials (a token, a cookie). */
    public static final int UNAUTHORIZED = 401;
    /** 403: refused, such as from an origin not allowed (§10.2). */
    public static final int FORBIDDEN = 403;
    /** 404: nothing is served at this path. */
    public static final int NOT_FOUND = 404;
    /** 405: an upgrade must be a GET (§4.2.1). */
    public static final int METHOD_NOT_ALLOWED = 405;
    /** 426: not a WebSocket upgrade, or an unsupported version (§4.4). */
    public static final int UPGRADE_REQUIRED = 426;
    /** 431: the head is longer than allowed. */
    public static final int REQUEST_HEADER_FIELDS_TOO_LARGE = 431;
    /** 500: a fault on our side. */
    public static final int INTERNAL_SERVER_ERROR = 500;
    /** 503: the server is at its limits. */
    public static final int SERVICE_UNAVAILABLE = 503;

    private HttpStatus() {
    }

    /**
     * {@return the reason phrase for the statuses above, or {@code Status N} for others}
     *
     * @param status the HTTP status
     */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case SWITCHING_PROTOCOLS -> "Switching Protocols";
            case OK -> "OK";
            case BAD_REQUEST -> "Bad Request";
            case UNAUTHORIZED -> "Unauthorized";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not Found";
            case METHOD_NOT_ALLOWED -> "Method Not Allowed";
            case UPGRADE_REQUIRED -> "Upgrade Required";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "Request Header Fields Too Large";
            case INTERNAL_SERVER_ERROR -> "Internal Server Error";
            case SERVICE_UNAVAILABLE -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
