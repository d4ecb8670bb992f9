package dev.wsreactor.protocol.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The header fields of an HTTP message, in order; names compare case-insensitively (RFC 9110 §5.1). Values that
 * are comma-separated lists can be read as tokens (RFC 9110 §5.6.1), which is how {@code Connection},
 * {@code Upgrade} and {@code Sec-WebSocket-Protocol} are written.
 */
public final class HttpHeaders {

    private final List<HttpField> fields = new ArrayList<>();

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

    public HttpHeaders add(String name, String value) {
        fields.add(new HttpField(name, value));
        return this;
    }

    /** The first value of this field, or {@code null}. */
    public String first(String name) {
        for (HttpField field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** How many times this field occurs. */
    public int count(String name) {
        int count = 0;
        for (HttpField field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                count++;
            }
        }
        return count;
    }

    /** Every value of this field, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (HttpField field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    /** Every value of this field split on commas, trimmed, empty elements dropped (RFC 9110 §5.6.1). */
    public List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>();
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                String token = part.trim();
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    /** Whether the comma-separated list in this field holds {@code token}, case-insensitively. */
    public boolean containsToken(String name, String token) {
        for (HttpField field : fields) {
            if (field.name().equalsIgnoreCase(name) && listContains(field.value(), token)) {
                return true;
            }
        }
        return false;
    }

    /** The elements of {@code list} compared in place, trimmed as {@link #tokens} trims them: no copy per element. */
    private static boolean listContains(String list, String token) {
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            int from = start;
            int to = end;
            while (from < to && list.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && list.charAt(to - 1) <= ' ') {
                to--;
            }
            if (to - from == token.length() && list.regionMatches(true, from, token, 0, token.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    public int size() {
        return fields.size();
    }

    public List<HttpField> fields() {
        return Collections.unmodifiableList(fields);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (HttpField field : fields) {
            out.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        return out.toString();
    }
}
