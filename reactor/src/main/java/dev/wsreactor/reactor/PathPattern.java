package dev.wsreactor.reactor;

import dev.wsreactor.protocol.handshake.PercentDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments, {@code {name}} for exactly one non-empty segment, and a last segment
 * {@code {name...}} for the rest of the path (zero or more segments, slashes kept). Matching is on the request's
 * path as sent, segment by segment: literals compare exactly (no decoding, no dot-segment removal, case-sensitive),
 * a parameter's value is percent-decoded as UTF-8 (kept raw where that is malformed), and a path whose parameter
 * would hold the segment {@code .} or {@code ..}, sent as such or percent-encoded, matches nothing, so a value
 * cannot climb out of the place the application puts it.
 */
final class PathPattern {

    private final String pattern;
    private final List<String> segments; // a literal, or "{name}"
    private final String rest; // the name of a trailing {name...}, or null

    PathPattern(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route's pattern starts with '/': " + pattern);
        }
        List<String> parts = new ArrayList<>(List.of(pattern.substring(1).split("/", -1)));
        String last = parts.get(parts.size() - 1);
        String tail = null;
        if (last.startsWith("{") && last.endsWith("...}")) {
            tail = checkName(last.substring(1, last.length() - 4), pattern);
            parts.remove(parts.size() - 1);
        }
        List<String> names = new ArrayList<>();
        for (String part : parts) {
            if (part.startsWith("{") || part.endsWith("}")) {
                if (!part.startsWith("{") || !part.endsWith("}") || part.endsWith("...}")) {
                    throw new IllegalArgumentException("a parameter is a whole segment, {name}, and only the last"
                            + " may be {name...}: " + pattern);
                }
                names.add(checkName(part.substring(1, part.length() - 1), pattern));
            }
        }
        if (tail != null) {
            names.add(tail);
        }
        if (names.size() != names.stream().distinct().count()) {
            throw new IllegalArgumentException("a parameter name repeats in " + pattern);
        }
        this.pattern = pattern;
        this.segments = List.copyOf(parts);
        this.rest = tail;
    }

    /**
     * The parameters of {@code path} when it matches, or {@code null}.
     *
     * @param path the request's path, without its query
     * @return the parameters by name, in the pattern's order
     */
    Map<String, String> match(String path) {
        if (!path.startsWith("/")) {
            return null; // an absolute-form or asterisk-form target: no route takes it
        }
        String[] parts = path.substring(1).split("/", -1);
        boolean exact = rest == null;
        if (exact ? parts.length != segments.size() : parts.length < segments.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String mine = segments.get(i);
            boolean literal = !mine.startsWith("{");
            if (literal ? !mine.equals(parts[i]) : parts[i].isEmpty()) {
                return null;
            }
            if (!literal) {
                parameters.put(mine.substring(1, mine.length() - 1), PercentDecoder.decodePathSegment(parts[i]));
            }
        }
        if (!exact) {
            String tail = String.join("/", List.of(parts).subList(segments.size(), parts.length));
            parameters.put(rest, PercentDecoder.decodePathSegment(tail));
        }
        if (parameters.values().stream().anyMatch(PathPattern::climbs)) {
            return null;
        }
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public String toString() {
        return pattern;
    }

    /**
     * Whether a decoded value has a dot segment, as sent or percent-encoded ({@code %2E%2E}, {@code ..%2F}): checked
     * after decoding, so no encoding of {@code ..} gets past it.
     */
    private static boolean climbs(String value) {
        for (String segment : value.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String checkName(String name, String pattern) {
        if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            throw new IllegalArgumentException("a parameter needs a name of letters, digits, '_' or '-': " + pattern);
        }
        return name;
    }
}
