package dev.wsreactor.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The PROXY header parser on any split of its input: a valid header reads the same however it arrives and leaves
 * what follows it untouched; a corrupted one or random bytes end in a clear outcome, never an exception, and
 * whatever the split, the same one.
 */
class ProxyHeaderParserProperties {

    private static final byte[] AFTER = {0x16, 0x03, 0x01, 0x00, 'G', 'E', 'T'};

    @Provide
    Arbitrary<byte[]> validHeaders() {
        Arbitrary<byte[]> ipv4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> ipv6 = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<byte[]> tlvs = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> v2 = Combinators.combine(Arbitraries.oneOf(ipv4, ipv6), port, tlvs)
                .as((source, sourcePort, rest) -> ProxyHeaders.v2Tcp(source, sourcePort,
                        new byte[source.length], rest));
        Arbitrary<byte[]> v1 = Combinators.combine(ipv4, ipv4, port, port).as((a, b, p, q) -> ProxyHeaders.v1(
                "PROXY TCP4 " + dotted(a) + " " + dotted(b) + " " + p + " " + q));
        Arbitrary<byte[]> fixed = Arbitraries.of(ProxyHeaders.v1("PROXY UNKNOWN"),
                ProxyHeaders.v1("PROXY TCP6 2001:db8::1 ::1 1 2"), ProxyHeaders.v2(0, 0, new byte[0]),
                ProxyHeaders.v2(1, 0x31, new byte[216]));
        return Arbitraries.oneOf(v1, v2, fixed);
    }

    private static String dotted(byte[] a) {
        return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 400).list().ofMaxSize(8);
    }

    /** Feeds {@code bytes} in pieces cut at {@code cuts} until the parser is done or failed. */
    private static Result feedSplit(byte[] bytes, List<Integer> cuts) {
        ProxyHeaderParser parser = new ProxyHeaderParser();
        List<Integer> points = cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList();
        int from = 0;
        ProxyHeaderParser.Outcome outcome = ProxyHeaderParser.Outcome.NEED_MORE;
        for (int i = 0; i <= points.size() && outcome == ProxyHeaderParser.Outcome.NEED_MORE; i++) {
            int to = i < points.size() ? points.get(i) : bytes.length;
            ByteBuffer piece = ByteBuffer.wrap(bytes, from, to - from);
            outcome = parser.feed(piece);
            from = piece.position(); // what the parser did not take is the next layer's
            if (outcome == ProxyHeaderParser.Outcome.NEED_MORE) {
                assertEquals(to, from, "takes everything while the header goes on");
            }
        }
        return new Result(outcome, from, parser.header(), parser.failure());
    }

    private record Result(ProxyHeaderParser.Outcome outcome, int consumed, ProxyHeader header, String failure) {
    }

    @Property
    void aValidHeaderReadsTheSameHoweverItIsSplit(@ForAll("validHeaders") byte[] header,
            @ForAll("cuts") List<Integer> cuts) {
        byte[] input = ProxyHeaders.concat(header, AFTER);
        Result whole = feedSplit(input, List.of());
        Result split = feedSplit(input, cuts);
        assertEquals(ProxyHeaderParser.Outcome.DONE, split.outcome, split.failure);
        assertEquals(header.length, split.consumed, "what follows the header is left alone");
        assertEquals(whole.header.family(), split.header.family());
        assertArrayEquals(whole.header.source(), split.header.source());
        assertEquals(whole.header.sourcePort(), split.header.sourcePort());
    }

    @Property
    void aCorruptedHeaderEndsClearlyAndAlikeWhateverTheSplit(@ForAll("validHeaders") byte[] header,
            @ForAll("cuts") List<Integer> cuts, @ForAll int position, @ForAll byte value) {
        byte[] input = ProxyHeaders.concat(header, AFTER);
        input[Math.floorMod(position, header.length)] = value;
        assertSameOutcomeWhateverTheSplit(input, cuts);
    }

    @Property
    void randomBytesEndClearly(@ForAll byte[] input, @ForAll("cuts") List<Integer> cuts) {
        assertSameOutcomeWhateverTheSplit(input, cuts);
        byte[] afterV2Signature = ProxyHeaders.concat(ProxyHeaders.V2_SIGNATURE, input);
        assertSameOutcomeWhateverTheSplit(afterV2Signature, cuts);
        byte[] afterV1Prefix = ProxyHeaders.concat("PROXY ".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                input);
        assertSameOutcomeWhateverTheSplit(afterV1Prefix, cuts);
    }

    private static void assertSameOutcomeWhateverTheSplit(byte[] input, List<Integer> cuts) {
        Result whole = feedSplit(input, List.of());
        Result split = feedSplit(input, cuts);
        assertEquals(whole.outcome, split.outcome);
        assertEquals(whole.consumed, split.consumed);
        assertEquals(whole.failure, split.failure);
        assertTrue(split.consumed <= 16 + ProxyHeaderParser.MAX_V2_BODY, "never reads past a header's bound");
        if (split.outcome == ProxyHeaderParser.Outcome.FAILED) {
            assertNotNull(split.failure);
        } else if (split.outcome == ProxyHeaderParser.Outcome.DONE) {
            assertNotNull(split.header);
        }
    }
}
