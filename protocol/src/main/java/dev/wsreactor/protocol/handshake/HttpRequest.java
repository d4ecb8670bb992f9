package dev.wsreactor.protocol.handshake;

import java.util.List;
import java.util.Map;

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
     * Every value of a header field, however the client spread them over field lines. A list-based field (RFC 9110
     * §5.6.1: {@code Accept}, {@code Sec-WebSocket-Protocol}, {@code X-Forwarded-For}, ...) is split at the commas
     * outside quoted strings, its elements trimmed and empty ones dropped; the fields whose values may hold a comma
     * of their own ({@code Cookie}, {@code Authorization}, {@code User-Agent}, {@code Date} and the other dates,
     * {@code Referer}, {@code Host}, the authentication challenges) are returned a field line each.
     *
     * @param name the field's name, in any case
     * @return the values in order; empty when the field is absent
     */
    public List<String> headers(String name) {
        return RequestFields.split(name, headers.all(name));
    }

    /**
     * The query's parameters, decoded, in order; a repeated name keeps every value. The query is read as
     * {@code application/x-www-form-urlencoded}: '&amp;' between pairs, '=' inside one (a name alone has the value
     * ""), '+' for a space, {@code %XX} for UTF-8 bytes. A name or value whose percent-encoding is malformed (a '%'
     * without two hex digits, or bytes that are not UTF-8) is kept raw, exactly as sent, rather than refused.
     *
     * @return an unmodifiable map, empty without a query
     */
    public Map<String, List<String>> queryParameters() {
        return RequestFields.queryParameters(query());
    }

    /**
     * The first value of a query parameter (see {@link #queryParameters()}).
     *
     * @param name the decoded name
     * @return its first value, or {@code null} when it is absent
     */
    public String queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * The cookies the client sent (RFC 6265 §5.4), from every {@code Cookie} field joined: names and values
     * trimmed, a quoted value unquoted, a pair without '=' skipped, and of a repeated name the first (the most
     * specific path) kept.
     *
     * @return an unmodifiable map from name to value, in order
     */
    public Map<String, String> cookies() {
        return RequestFields.cookies(headers.all("Cookie"));
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
