package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.FrameDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Almost-valid client streams into an open, compressing connection: a valid conversation (text in several
 * scripts, fragments with a Ping between them, compressed messages, a Close) with a few bytes flipped, inserted,
 * deleted or cut off, in arbitrary pieces. The mutations reach the deep states (UTF-8 inside a fragment, DEFLATE
 * inside a message, a Close's reason), and whatever they make of the stream, the connection never throws, never
 * fails from inside, consumes every byte, and fails only with 1002, 1007 or 1009, in one well-formed Close.
 */
class ConnectionGarbageProperties {

    private static final Set<Integer> PEER_FAULTS = Set.of(1002, 1007, 1009);

    @Provide
    Arbitrary<byte[]> conversations() {
        Arbitrary<Frames> scripts = Arbitraries.of("hello", "grüße", "κόσμε", "日本語", "🎉 party")
                .map(s -> Frames.start().clientText(s));
        Arbitrary<Frames> fragments = Arbitraries.strings().ofMaxLength(300).map(s -> Frames.start()
                .client(Opcode.TEXT, false, Frames.utf8(s))
                .client(Opcode.PING, true, Frames.utf8("between"))
                .client(Opcode.CONTINUATION, true, Frames.utf8("€ end")));
        Arbitrary<Frames> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(200)
                .map(b -> Frames.start().client(Opcode.BINARY, true, b));
        Arbitrary<Frames> compressed = Arbitraries.strings().withChars("abcé€ ").ofMaxLength(2000)
                .map(ConnectionGarbageProperties::compressed);
        Arbitrary<Frames> message = Arbitraries.oneOf(scripts, fragments, binary, compressed);
        return message.list().ofMinSize(1).ofMaxSize(5).map(messages -> {
            Frames all = Frames.start();
            messages.forEach(m -> all.raw(m.bytes()));
            return all.clientClose(1000, "bye κόσμε").bytes();
        });
    }

    private static Frames compressed(String text) {
        MessageDeflater deflater = new MessageDeflater(6);
        ByteBuffer payload = deflater.compress(ByteBuffer.wrap(Frames.utf8(text)), true);
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        deflater.close();
        return Frames.start().client(Opcode.TEXT.code(), true, DeflateConfig.RSV1, bytes);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Mutation.some();
    }

    @Property(tries = 1000)
    void almostValidStreamsNeverBreakTheConnection(@ForAll("conversations") byte[] conversation,
            @ForAll("mutations") List<Mutation> mutations, @ForAll @IntRange(min = 1, max = 500) int chunkSize) {
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(),
                "permessage-deflate; client_no_context_takeover", 1 << 20);
        server.listener.echo = true;
        byte[] wire = Mutation.applyAll(mutations, conversation);
        for (int at = 0; at < wire.length; at += chunkSize) {
            server.receive(java.util.Arrays.copyOfRange(wire, at, Math.min(wire.length, at + chunkSize)));
        }
        for (int turn = 0; server.connection.hasPendingInput() && turn < 10; turn++) {
            server.connection.resumeInput(server.now);
        }
        assertNull(server.connection.internalError(), "garbage is never an internal error");
        ConnectionState state = server.connection.state();
        assertTrue(state == ConnectionState.OPEN || state == ConnectionState.CLOSING_BY_PEER
                || state == ConnectionState.FAILING, state.toString());
        int code = server.connection.closeCode().value();
        if (state == ConnectionState.FAILING) {
            assertTrue(PEER_FAULTS.contains(code), "failed with " + code);
        }
        RecordingFrameListener sent = new RecordingFrameListener();
        FrameDecoder client = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE, Long.MAX_VALUE, DeflateConfig.RSV1);
        assertNull(client.decode(ByteBuffer.wrap(server.connection.output().drain()), sent), "well-formed output");
        long closes = sent.events.stream().filter(e -> e.startsWith("CLOSE")).count();
        assertEquals(state == ConnectionState.OPEN ? 0 : 1, closes, sent.events.toString());
        Statistics.label("outcome").collect(state == ConnectionState.FAILING ? "failed " + code : state.toString());
    }
}
