package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A text message received in parts: split into frames at every byte offset (and chunked by reads anywhere), its
 * parts never split a code point (each part is whole characters: no lone surrogate, no replacement character)
 * and together they are the message. Invalid UTF-8 in a later frame still fails with 1007, and the message size
 * limit still counts the whole message (1009).
 */
class TextPartsProperties {

    /** Takes every message in parts and records them. */
    static final class PartsListener implements ConnectionListener {
        final List<String> parts = new ArrayList<>();
        final List<byte[]> binaryParts = new ArrayList<>();
        int messages;
        CloseCode closed;

        @Override
        public boolean receivesParts() {
            return true;
        }

        @Override
        public void onTextPart(CharSequence part, boolean last) {
            parts.add(part.toString());
            messages += last ? 1 : 0;
        }

        @Override
        public void onBinaryPart(ByteBuffer part, boolean last) {
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            binaryParts.add(bytes);
            messages += last ? 1 : 0;
        }

        @Override
        public void onText(String text) {
            throw new AssertionError("delivered whole");
        }

        @Override
        public void onBinary(ByteBuffer data) {
            throw new AssertionError("delivered whole");
        }

        @Override
        public void onClose(CloseCode code, String reason) {
            closed = code;
        }
    }

    @Provide
    Arbitrary<String> text() {
        // No surrogates (the pairs come as emoji) and no U+FFFD: isWhole takes it as the mark of a split sequence.
        Arbitrary<Character> any = Arbitraries.chars().filter(c -> !Character.isSurrogate(c) && c != '\uFFFD');
        Arbitrary<String> emoji = Arbitraries.integers().between(0x1F300, 0x1F64F).map(Character::toString);
        Arbitrary<String> wide = Arbitraries.of("é", "€", "𝄞", "中", "a", "ß");
        return Arbitraries.oneOf(any.map(String::valueOf), emoji, wide).list().ofMaxSize(24)
                .map(list -> String.join("", list));
    }

    @Property(tries = 200)
    void partsNeverSplitACodePoint(@ForAll("text") String text, @ForAll("readSizes") int readSize) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at <= utf8.length; at++) {
            byte[] first = java.util.Arrays.copyOfRange(utf8, 0, at);
            byte[] second = java.util.Arrays.copyOfRange(utf8, at, utf8.length);
            byte[] wire = Frames.start().client(Opcode.TEXT, false, first).client(Opcode.CONTINUATION, true, second)
                    .bytes();
            PartsListener listener = receive(ConnectionConfig.defaults(), wire, readSize);
            assertEquals(1, listener.messages, "split at " + at);
            assertEquals(text, String.join("", listener.parts), "split at " + at);
            for (String part : listener.parts) {
                assertTrue(isWhole(part), "part " + part + " of a split at " + at);
            }
        }
    }

    @Provide
    Arbitrary<Integer> readSizes() {
        return Arbitraries.integers().between(1, 64);
    }

    @Test
    void invalidUtf8InALaterFrameFailsWith1007AfterTheEarlierParts() {
        byte[] wire = Frames.start().client(Opcode.TEXT, false, Frames.utf8("fine so far"))
                .client(Opcode.CONTINUATION, true, new byte[] {(byte) 0xC3, (byte) 0x28}).bytes();
        PartsListener listener = receive(ConnectionConfig.defaults(), wire, wire.length);
        assertEquals(List.of("fine so far"), listener.parts);
        assertEquals(0, listener.messages);
        assertEquals(CloseCode.INVALID_PAYLOAD, listener.closed);
    }

    @Test
    void theSizeLimitCountsTheWholeMessage() {
        ConnectionConfig config = ConnectionConfig.builder().maxMessageSize(1000).build();
        byte[] wire = Frames.start().client(Opcode.BINARY, false, new byte[600])
                .client(Opcode.CONTINUATION, true, new byte[600]).bytes();
        PartsListener listener = receive(config, wire, wire.length);
        assertEquals(1, listener.binaryParts.size(), "the first frame's part came");
        assertEquals(0, listener.messages);
        assertEquals(CloseCode.MESSAGE_TOO_BIG, listener.closed);
    }

    /** Whole characters: UTF-8 round-trips it exactly (a lone surrogate would come back as '?'). */
    private static boolean isWhole(String part) {
        return new String(part.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(part)
                && part.indexOf('\uFFFD') < 0;
    }

    private static PartsListener receive(ConnectionConfig config, byte[] frames, int readSize) {
        PartsListener listener = new PartsListener();
        long now = 1_000_000_000L;
        Connection connection = Connection.server(config, BufferPool.unpooledHeap(4096), listener, now);
        connection.receive(ByteBuffer.wrap(ServerFixture.RFC_REQUEST.getBytes(StandardCharsets.US_ASCII)), now);
        assertEquals(ConnectionState.OPEN, connection.state());
        for (int from = 0; from < frames.length && connection.state().readsInput(); from += readSize) {
            connection.receive(ByteBuffer.wrap(frames, from, Math.min(readSize, frames.length - from)), now);
        }
        if (connection.state() != ConnectionState.OPEN) {
            connection.transportClosed(now); // the reported code reaches onClose
        }
        return listener;
    }
}
