package dev.wsreactor.protocol.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code Forwarded} field's grammar (RFC 7239 §4): a comma-separated list of elements, each a
 * semicolon-separated list of {@code name=value} pairs, a value a token or a quoted string. Hand-written over the
 * characters, so that malformed input is a message, never an exception.
 */
final class ForwardedParser {

    private final String text;
    private int at;

    private ForwardedParser(String text) {
        this.text = text;
    }

    /** Adds one hop per element to {@code hops}; returns what is wrong, or null when all of it is well-formed. */
    static String parse(String value, List<ForwardedHeaders.Hop> hops) {
        return new ForwardedParser(value).elements(hops);
    }

    private String elements(List<ForwardedHeaders.Hop> hops) {
        while (true) {
            skipWhitespace();
            if (peek() != ',' && peek() != -1) { // an empty element (",,") is allowed and means nothing
                String problem = element(hops);
                if (problem != null) {
                    return problem;
                }
            }
            skipWhitespace();
            if (peek() == -1) {
                return hops.isEmpty() ? "no elements" : null;
            }
            if (peek() != ',') {
                return "expected ',' at " + at;
            }
            at++;
        }
    }

    private String element(List<ForwardedHeaders.Hop> hops) {
        Set<String> seen = new HashSet<>();
        ForwardedHeaders.Hop node = new ForwardedHeaders.Hop(null, 0, null);
        String proto = null;
        while (true) {
            skipWhitespace();
            if (peek() != ';' && peek() != ',' && peek() != -1) {
                String name = token();
                if (name == null || peek() != '=') {
                    return "expected name=value at " + at;
                }
                at++;
                String value = peek() == '"' ? quotedString() : token();
                if (value == null) {
                    return "bad value at " + at;
                }
                name = name.toLowerCase(Locale.ROOT);
                if (!seen.add(name)) {
                    return "'" + name + "' twice in one element"; // §4: each parameter at most once per element
                }
                if (name.equals("for")) {
                    node = ForwardedHeaders.node(value, true);
                    if (node == null) {
                        return "not a node: \"" + value + "\"";
                    }
                } else if (name.equals("proto")) {
                    proto = value;
                }
            }
            skipWhitespace();
            if (peek() != ';') {
                hops.add(ForwardedHeaders.hop(node, proto));
                return null;
            }
            at++;
        }
    }

    private String token() {
        int start = at;
        while (at < text.length() && HttpToken.isTokenChar(text.charAt(at))) {
            at++;
        }
        return at == start ? null : text.substring(start, at);
    }

    private String quotedString() {
        StringBuilder value = new StringBuilder();
        at++; // the opening quote
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                if (at == text.length()) {
                    return null;
                }
                c = text.charAt(at++);
            }
            if (c != '\t' && (c < ' ' || c == 0x7F)) {
                return null;
            }
            value.append(c);
        }
        return null; // no closing quote
    }

    private void skipWhitespace() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
    }

    private int peek() {
        return at < text.length() ? text.charAt(at) : -1;
    }
}
