package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsreactor.protocol.internal.FrameDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** permessage-deflate round trips (RFC 7692 §7.2) under arbitrary messages, fragmentations and TCP splits. */
class DeflateProperties {

    @Provide
    Arbitrary<byte[]> message() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> repetitive = Arbitraries.strings().withChars("abc ").ofMaxLength(4000)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, repetitive);
    }

    @Provide
    Arbitrary<List<byte[]>> messages() {
        return message().list().ofMinSize(1).ofMaxSize(6);
    }

    /** Client messages compressed (with or without context), fragmented and chopped: each arrives as it was. */
    @Property(tries = 300)
    void compressedMessagesSplitAnyhowInflateBackToThemselves(@ForAll("messages") List<byte[]> messages,
            @ForAll boolean clientKeepsContext, @ForAll @IntRange(min = 1, max = 700) int fragment,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 5000) Integer> chops) {
        String offer = clientKeepsContext ? "permessage-deflate" : "permessage-deflate; client_no_context_takeover";
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), offer, 1 << 20);
        MessageDeflater client = new MessageDeflater(6);
        Frames frames = Frames.start();
        for (byte[] message : messages) {
            addCompressed(frames, client, message, clientKeepsContext, fragment);
        }
        byte[] wire = frames.bytes();
        int at = 0;
        for (int chop : chops) {
            int end = Math.min(wire.length, at + chop);
            server.receive(java.util.Arrays.copyOfRange(wire, at, end));
            at = end;
        }
        server.receive(java.util.Arrays.copyOfRange(wire, at, wire.length));
        List<String> expected = new ArrayList<>();
        expected.add("open");
        for (byte[] message : messages) {
            expected.add("binary:" + RecordingFrameListener.hex(ByteBuffer.wrap(message)));
        }
        assertEquals(expected, server.listener.events);
        client.close();
    }

    @Provide
    Arbitrary<List<byte[]>> bigMessages() {
        Arbitrary<byte[]> big = Combinators.combine(Arbitraries.integers().between(0, 700_000),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16)).as((size, pattern) -> {
                    byte[] message = new byte[size];
                    for (int i = 0; i < size; i++) {
                        message[i] = pattern[i % pattern.length];
                    }
                    return message;
                });
        return Arbitraries.oneOf(big, message()).list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * Fairness changes when messages arrive, never what arrives: messages that inflate past a turn's slice, split
     * anyhow, with the loop coming back between the pieces (an I/O layer that waits for the input to drain) or
     * not (one that reads on, and may resume at any time), arrive whole and in order.
     */
    @Property(tries = 60)
    void compressedStreamsRoundTripWhateverTheSlicesAndResumes(@ForAll("bigMessages") List<byte[]> messages,
            @ForAll boolean clientKeepsContext, @ForAll @IntRange(min = 1, max = 100_000) int fragment,
            @ForAll @Size(max = 8) List<@IntRange(min = 1, max = 3000) Integer> chops,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 2) Integer> resumes, @ForAll boolean waitsForTheLoop) {
        String offer = clientKeepsContext ? "permessage-deflate" : "permessage-deflate; client_no_context_takeover";
        ServerFixture server = DeflateConnectionTest.open(DeflateConfig.defaults(), offer, 1 << 20);
        server.listener.digest = true;
        MessageDeflater client = new MessageDeflater(6);
        Frames frames = Frames.start();
        List<String> expected = new ArrayList<>(List.of("open"));
        for (byte[] message : messages) {
            addCompressed(frames, client, message, clientKeepsContext, fragment);
            expected.add("binary:" + RecordingListener.digest(ByteBuffer.wrap(message)));
        }
        client.close();
        byte[] wire = frames.bytes();
        int at = 0;
        for (int i = 0; i <= chops.size(); i++) {
            int end = i < chops.size() ? Math.min(wire.length, at + chops.get(i)) : wire.length;
            server.receive(java.util.Arrays.copyOfRange(wire, at, end));
            at = end;
            int times = waitsForTheLoop ? 100 : i < resumes.size() ? resumes.get(i) : 0;
            for (int turn = 0; turn < times && server.connection.hasPendingInput(); turn++) {
                server.connection.resumeInput(server.now);
            }
        }
        for (int turn = 0; turn < 100 && server.connection.hasPendingInput(); turn++) {
            server.connection.resumeInput(server.now);
        }
        assertEquals(expected, server.listener.events);
    }

    private static void addCompressed(Frames frames, MessageDeflater client, byte[] message, boolean keepContext,
            int fragment) {
        ByteBuffer compressed = client.compress(ByteBuffer.wrap(message), !keepContext);
        byte[] payload = new byte[compressed.remaining()];
        compressed.get(payload);
        for (int at = 0; at == 0 || at < payload.length; at += fragment) {
            int end = Math.min(payload.length, at + fragment);
            boolean first = at == 0;
            frames.client(first ? Opcode.BINARY.code() : Opcode.CONTINUATION.code(), end == payload.length,
                    first ? DeflateConfig.RSV1 : 0, java.util.Arrays.copyOfRange(payload, at, end));
        }
    }

    /** Whatever level or strategy a client's zlib uses, the server inflates it. */
    @Property(tries = 200)
    void theInflaterAcceptsTheJdkDeflaterAtEveryLevel(@ForAll("message") byte[] message,
            @ForAll @IntRange(min = 0, max = 9) int level, @ForAll boolean filtered) {
        ServerFixture server = DeflateConnectionTest.open();
        Deflater deflater = new Deflater(level, true);
        deflater.setStrategy(filtered ? Deflater.FILTERED : Deflater.DEFAULT_STRATEGY);
        byte[] compressed = DeflateConnectionTest.compress(deflater, message);
        server.receive(Frames.start().client(Opcode.BINARY.code(), true, DeflateConfig.RSV1, compressed));
        assertEquals(List.of("open", "binary:" + RecordingFrameListener.hex(ByteBuffer.wrap(message))),
                server.listener.events);
    }

    /** What the server sends compressed, a client's zlib inflates back, with the context the agreement allows. */
    @Property(tries = 200)
    void serverMessagesInflateOnTheClient(@ForAll("messages") List<byte[]> messages, @ForAll boolean shared,
            @ForAll @IntRange(min = 0, max = 2000) int fragmentSize) throws Exception {
        DeflateConfig deflate = new DeflateConfig(true, shared, 6, 0);
        ConnectionConfig config = ConnectionConfig.builder().deflate(deflate).fragmentSize(fragmentSize).build();
        ServerFixture server = ServerFixture.openOffering(config, "permessage-deflate",
                shared ? new MessageDeflater(6) : null);
        Inflater client = new Inflater(true);
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE, Long.MAX_VALUE, DeflateConfig.RSV1);
        for (byte[] message : messages) {
            server.connection.sendBinary(ByteBuffer.wrap(message));
            RecordingFrameListener frames = new RecordingFrameListener();
            assertEquals(null, decoder.decode(ByteBuffer.wrap(server.connection.output().drain()), frames));
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (String event : frames.events) {
                String hex = event.substring(event.lastIndexOf(' ') + 1);
                payload.writeBytes(hex.startsWith("len=") ? new byte[0] : HexFormat.of().parseHex(hex));
            }
            assertEquals(true, frames.events.get(0).contains("rsv=4"), frames.events.get(0));
            byte[] inflated = DeflateConnectionTest.inflate(client, payload.toByteArray());
            assertEquals(HexFormat.of().formatHex(message), HexFormat.of().formatHex(inflated));
            if (shared) {
                client.reset(); // server_no_context_takeover: each message stands alone
            }
        }
    }
}
