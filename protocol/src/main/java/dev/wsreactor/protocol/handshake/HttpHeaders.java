package dev.wsreactor.protocol.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The header fields of an HTTP message, in order; names compare case-insensitively (RFC 9110 §5.1). Values that
 * are comma-separated lists can be read as tokens (RFC 9110 §5.6.1), which is how {@code Connection},
 * {@code Upgrade} and {@code Sec-WebSocket-Protocol} are written.
 *
 * <p>Headers read from the wire are kept compact: the head as one string and where each field's line starts in
 * it, since a server keeps every open connection's request (for {@code session.request()}) and one string per name
 * and value would cost it several hundred bytes more per connection. A name ends at its line's colon and a value
 * runs to its line's end, found again when asked for (the parser checked the lines). Names and values become
 * strings when asked for. Fields added later ({@link #add}) are kept as {@link HttpField}s after the parsed ones.
 */
public final class HttpHeaders {

    private static final int[] NO_LINES = new int[0];

    private final String source;     // the parsed head, or null
    private final int[] lineStarts;  // per parsed field, exactly: where its line starts in the source
    private List<HttpField> added; // null until something is added

    /** No fields yet. */
    public HttpHeaders() {
        this(null, NO_LINES);
    }

    private HttpHeaders(String source, int[] lineStarts) {
        this.source = source;
        this.lineStarts = lineStarts;
    }

    /**
     * Headers that live in {@code source}: field {@code i}'s line starts at {@code lineStarts[i]}, a token name, a
     * colon, then the value up to CRLF or LF, with no control character but HTAB (as {@link HttpHeadParser} checks).
     */
    static HttpHeaders parsed(String source, int[] lineStarts, int count) {
        return new HttpHeaders(source, count == 0 ? NO_LINES : Arrays.copyOf(lineStarts, count));
    }

    /**
     * {@return headers with these fields, in order}
     *
     * @param nameValuePairs names and values, alternating
     * @throws IllegalArgumentException if a name has no value
     */
    public static HttpHeaders of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return headers;
    }

    /**
     * Adds a field after the others.
     *
     * @param name the field's name
     * @param value its value
     * @return these headers
     */
    public HttpHeaders add(String name, String value) {
        if (added == null) {
            added = new ArrayList<>(4);
        }
        added.add(new HttpField(name, value));
        return this;
    }

    /** {@return the number of fields} */
    public int size() {
        return parsedCount() + (added == null ? 0 : added.size());
    }

    /**
     * {@return the first value of this field, or {@code null}}
     *
     * @param name the field's name, compared case-insensitively
     */
    public String first(String name) {
        for (int i = 0; i < size(); i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /**
     * {@return how many times this field occurs}
     *
     * @param name the field's name, compared case-insensitively
     */
    public int count(String name) {
        int count = 0;
        for (int i = 0; i < size(); i++) {
            if (nameIs(i, name)) {
                count++;
            }
        }
        return count;
    }

    /**
     * {@return every value of this field, in order}
     *
     * @param name the field's name, compared case-insensitively
     */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (nameIs(i, name)) {
                values.add(value(i));
            }
        }
        return values;
    }

    /**
     * {@return every value of this field split at the commas outside quoted strings, trimmed, empty elements
     * dropped (RFC 9110 §5.6.1)}
     *
     * @param name the field's name, compared case-insensitively
     */
    public List<String> tokens(String name) {
        return RequestFields.elements(all(name));
    }

    /**
     * {@return whether the comma-separated list in this field holds {@code token}, case-insensitively}
     *
     * @param name the field's name, compared case-insensitively
     * @param token the token looked for
     */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < size(); i++) {
            if (!nameIs(i, name)) {
                continue;
            }
            boolean found = i < parsedCount()
                    ? listContains(source, valueStart(i), valueEnd(i), token)
                    : listContains(added(i).value(), 0, added(i).value().length(), token);
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** {@return every field, in order} */
    public List<HttpField> fields() {
        List<HttpField> fields = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            fields.add(i < parsedCount() ? new HttpField(name(i), value(i)) : added(i));
        }
        return Collections.unmodifiableList(fields);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            out.append(name(i)).append(": ").append(value(i)).append("\r\n");
        }
        return out.toString();
    }

    private boolean nameIs(int i, String name) {
        if (i >= parsedCount()) {
            return added(i).name().equalsIgnoreCase(name);
        }
        int from = lineStarts[i];
        int length = nameEnd(i) - from;
        return length == name.length() && source.regionMatches(true, from, name, 0, length);
    }

    private String name(int i) {
        return i < parsedCount() ? source.substring(lineStarts[i], nameEnd(i)) : added(i).name();
    }

    private String value(int i) {
        return i < parsedCount() ? source.substring(valueStart(i), valueEnd(i)) : added(i).value();
    }

    /** The colon after parsed field {@code i}'s name (a token holds none). */
    private int nameEnd(int i) {
        return source.indexOf(':', lineStarts[i]);
    }

    /** Where parsed field {@code i}'s value starts: after the colon and SP or HTAB (RFC 9110 §5.6.3 OWS). */
    private int valueStart(int i) {
        int from = nameEnd(i) + 1;
        int end = lineEnd(i);
        while (from < end && isBlank(source.charAt(from))) {
            from++;
        }
        return from;
    }

    /** Where parsed field {@code i}'s value ends: before the trailing SP or HTAB, never before it starts. */
    private int valueEnd(int i) {
        int to = lineEnd(i);
        int from = valueStart(i);
        while (to > from && isBlank(source.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /** Where parsed field {@code i}'s line ends, before its LF and a CR before it (a value holds neither). */
    private int lineEnd(int i) {
        int lf = source.indexOf('\n', lineStarts[i]);
        return source.charAt(lf - 1) == '\r' ? lf - 1 : lf;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private int parsedCount() {
        return lineStarts.length;
    }

    /** Field {@code i}, one of those added after the parsed ones. */
    private HttpField added(int i) {
        return added.get(i - parsedCount());
    }

    /** The elements of the list in {@code text[from, to)}, compared in place, trimmed as {@link #tokens} trims them. */
    private static boolean listContains(String text, int from, int to, String token) {
        int start = from;
        while (start <= to) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 || comma > to ? to : comma;
            int first = start;
            int last = end;
            while (first < last && text.charAt(first) <= ' ') {
                first++;
            }
            while (last > first && text.charAt(last - 1) <= ' ') {
                last--;
            }
            if (last - first == token.length() && text.regionMatches(true, first, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
