package dev.wsreactor.protocol.handshake;

/**
 * An HTTP request head: the request line and the header fields (RFC 9112 §3).
 *
 * @param method the method, such as {@code GET}
 * @param target the request target as sent, usually a path with an optional query
 * @param versionMajor the HTTP version's major number
 * @param versionMinor the HTTP version's minor number
 * @param headers the header fields
 */
public record HttpRequest(String method, String target, int versionMajor, int versionMinor, HttpHeaders headers) {

    /** {@return the target without its query} */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** {@return the query after '?', or {@code null}} */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    /**
     * {@return the first value of this header field, or {@code null}}
     *
     * @param name the field's name, compared case-insensitively
     */
    public String header(String name) {
        return headers.first(name);
    }

    /**
     * {@return whether the version is at least {@code major.minor}}
     *
     * @param major the major version
     * @param minor the minor version
     */
    public boolean versionAtLeast(int major, int minor) {
        return versionMajor > major || versionMajor == major && versionMinor >= minor;
    }
}
