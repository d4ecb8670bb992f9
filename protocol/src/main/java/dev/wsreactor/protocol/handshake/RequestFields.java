package dev.wsreactor.protocol.handshake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parsing behind {@link HttpRequest}'s query parameters, cookies and list-valued headers: each a small pure
 * function, so the rules are tested on strings alone.
 */
final class RequestFields {

    /**
     * Fields whose values may hold a comma of their own (a date, a product comment, credentials, a cookie), so
     * {@link #split} returns them a field line each, never split (RFC 9110 §5.3: only list-based fields combine).
     */
    static final Set<String> NOT_LISTS = Set.of("cookie", "set-cookie", "authorization", "proxy-authorization",
            "www-authenticate", "proxy-authenticate", "user-agent", "server", "date", "expires", "last-modified",
            "if-modified-since", "if-unmodified-since", "retry-after", "referer", "location", "host");

    private RequestFields() {
    }

    /**
     * The query's parameters (application/x-www-form-urlencoded: '&amp;' between pairs, '=' inside one, '+' for a
     * space, %XX for UTF-8 bytes), in order, repeated names kept. A name or value whose percent-encoding is
     * malformed (a '%' without two hex digits, or bytes that are not UTF-8) is kept raw, exactly as sent.
     */
    static Map<String, List<String>> queryParameters(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = PercentDecoder.decodeQueryComponent(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : PercentDecoder.decodeQueryComponent(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        parameters.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * The cookies of every Cookie field, joined as one list (RFC 6265 §5.4: "name=value" pairs separated by "; ";
     * RFC 9113 §8.2.3 lets HTTP/2 send them as several fields). Names and values are trimmed, a value in double
     * quotes loses them (§4.1.1), a pair without '=' or with an empty name is skipped, and of a repeated name the
     * first wins (§5.4: the cookie with the longest path comes first).
     */
    static Map<String, String> cookies(List<String> cookieFields) {
        if (cookieFields.isEmpty()) {
            return Map.of();
        }
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String field : cookieFields) {
            for (String pair : field.split(";")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? "" : pair.substring(0, equals).trim();
                if (name.isEmpty()) {
                    continue;
                }
                String value = pair.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                cookies.putIfAbsent(name, value);
            }
        }
        return Collections.unmodifiableMap(cookies);
    }

    /**
     * Every value of a field: for a list-based field (RFC 9110 §5.6.1) each field line split at the commas outside
     * quoted strings, elements trimmed and empty ones dropped; for the fields of {@link #NOT_LISTS}, a line each.
     */
    static List<String> split(String name, List<String> lines) {
        return NOT_LISTS.contains(name.toLowerCase(Locale.ROOT)) ? List.copyOf(lines) : elements(lines);
    }

    /**
     * The elements of a list-based field's lines (RFC 9110 §5.6.1): each line split at the commas outside quoted
     * strings, elements trimmed and empty ones dropped.
     */
    static List<String> elements(List<String> lines) {
        List<String> elements = new ArrayList<>();
        for (String line : lines) {
            boolean quoted = false;
            int start = 0;
            for (int i = 0; i <= line.length(); i++) {
                char c = i < line.length() ? line.charAt(i) : ',';
                if (quoted && c == '\\' && i + 1 < line.length()) {
                    i++; // a quoted-pair (RFC 9110 §5.6.4): the next character is taken as it is
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && (!quoted || i == line.length())) {
                    String element = line.substring(start, i).trim();
                    if (!element.isEmpty()) {
                        elements.add(element);
                    }
                    start = i + 1;
                }
            }
        }
        return List.copyOf(elements);
    }
}
