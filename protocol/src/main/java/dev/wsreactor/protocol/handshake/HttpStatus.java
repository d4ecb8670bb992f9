package dev.wsreactor.protocol.handshake;

/** The HTTP status codes this project sends, with their reason phrases (RFC 9110 §15). */
public final class HttpStatus {

    public static final int SWITCHING_PROTOCOLS = 101;
    public static final int OK = 200;
    public static final int BAD_REQUEST = 400;
    /** 401: the request lacks valid credentials (a token, a cookie). */
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int METHOD_NOT_ALLOWED = 405;
    public static final int UPGRADE_REQUIRED = 426;
    public static final int REQUEST_HEADER_FIELDS_TOO_LARGE = 431;
    public static final int INTERNAL_SERVER_ERROR = 500;
    public static final int SERVICE_UNAVAILABLE = 503;

    private HttpStatus() {
    }

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
