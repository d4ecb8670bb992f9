package dev.wsreactor.protocol.handshake;

/**
 * An HTTP request head: the request line and the header fields (RFC 9112 §3).
 *
 * @param target the request target as sent, usually a path with an optional query
 */
public record HttpRequest(String method, String target, int versionMajor, int versionMinor, HttpHeaders headers) {

    /** The target without its query. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The query after '?', or {@code null}. */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    public String header(String name) {
        return headers.first(name);
    }

    /** Whether the version is at least {@code major.minor}. */
    public boolean versionAtLeast(int major, int minor) {
        return versionMajor > major || versionMajor == major && versionMinor >= minor;
    }
}
