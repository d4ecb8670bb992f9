package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Route patterns against well-formed and malformed paths. */
class PathPatternTest {

    @Test
    void aParameterTakesExactlyOneNonEmptySegment() {
        PathPattern room = new PathPattern("/chat/{room}");
        assertEquals(Map.of("room", "blue"), room.match("/chat/blue"));
        assertNull(room.match("/chat"));
        assertNull(room.match("/chat/"), "an empty segment is no room");
        assertNull(room.match("/chat/blue/more"));
        assertNull(room.match("/chat//blue"));
        assertNull(room.match("/Chat/blue"), "literals are case-sensitive");
    }

    @Test
    void literalsAndSeveralParametersMatchInOrder() {
        PathPattern pattern = new PathPattern("/rooms/{room}/users/{user}");
        Map<String, String> found = pattern.match("/rooms/r1/users/u%C3%A9");
        assertEquals(Map.of("room", "r1", "user", "ué"), found);
        assertEquals(java.util.List.of("room", "user"), java.util.List.copyOf(found.keySet()));
        assertNull(pattern.match("/rooms/r1/people/u1"));
        assertEquals(Map.of(), new PathPattern("/").match("/"));
        assertNull(new PathPattern("/").match("/x"));
    }

    @Test
    void aTrailingRestParameterTakesZeroOrMoreSegments() {
        PathPattern files = new PathPattern("/files/{path...}");
        assertEquals(Map.of("path", "a/b/c.txt"), files.match("/files/a/b/c.txt"));
        assertEquals(Map.of("path", ""), files.match("/files/"));
        assertEquals(Map.of("path", ""), files.match("/files"), "zero segments");
        assertNull(files.match("/filesystem/a"));
        assertEquals(Map.of("path", "a/b"), files.match("/files/a%2Fb"));
    }

    @Test
    void malformedOrDangerousPathsMatchNothing() {
        PathPattern room = new PathPattern("/chat/{room}");
        assertNull(room.match("/chat/.."), "dot segments never become a parameter");
        assertNull(room.match("/chat/."));
        assertNull(new PathPattern("/files/{path...}").match("/files/a/../../etc/passwd"));
        assertNull(room.match("/chat/%2e%2E"), "nor percent-encoded ones");
        assertNull(room.match("/chat/%2E"));
        assertNull(room.match("/chat/..%2Fadmin"), "nor one behind an encoded slash");
        assertNull(new PathPattern("/files/{path...}").match("/files/a%2F..%2F..%2Fetc%2Fpasswd"));
        assertNull(new PathPattern("/files/{path...}").match("/files/a/%2e%2e/etc"));
        assertEquals(Map.of("room", "..a"), room.match("/chat/..a"), "dots inside a segment are no dot segment");
        assertNull(room.match("http://example.com/chat/blue"), "absolute-form targets take no route");
        assertNull(room.match("*"));
        assertNull(room.match(""));
        assertEquals(Map.of("room", "%zz"), room.match("/chat/%zz"), "malformed percent-encoding is kept raw");
        assertEquals(Map.of("room", "a+b"), room.match("/chat/a+b"), "a plus is a plus in a path");
    }

    @Test
    void malformedPatternsAreRefusedAtBuild() {
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("chat/{room}"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("/chat/x{room}"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("/chat/{}"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("/{rest...}/more"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("/{a}/{a}"));
        assertThrows(IllegalArgumentException.class, () -> new PathPattern("/{a b}"));
    }

    @Property
    void anyRoomNameRoundTripsThroughItsEncoding(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String name,
            @ForAll @StringLength(max = 5) String suffix) {
        String room = name + suffix;
        boolean dotSegment = java.util.Arrays.stream(room.split("/", -1))
                .anyMatch(segment -> segment.equals(".") || segment.equals(".."));
        if (dotSegment || room.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
            return; // a dot segment matches nothing (above); a lone surrogate has no UTF-8 encoding
        }
        String encoded = java.net.URLEncoder.encode(room, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        assertEquals(Map.of("room", room), new PathPattern("/chat/{room}").match("/chat/" + encoded));
    }
}
