package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.2-§5.5: the frame decoder's rules, each with the close code it must produce. */
class FrameDecoderTest {

    private static final long LIMIT = 1 << 20;

    private final RecordingFrameListener recorder = new RecordingFrameListener();

    private ProtocolViolation decodeAsServer(byte[] bytes) {
        return new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0).decode(ByteBuffer.wrap(bytes), recorder);
    }

    private static void assertViolation(CloseCode expected, ProtocolViolation violation) {
        assertTrue(violation != null, "expected a violation with " + expected);
        assertEquals(expected, violation.code(), violation.reason());
    }

    @Test
    void section5_7_singleFrameMaskedTextMessage() {
        // §5.7: "A single-frame masked text message" containing "Hello".
        assertNull(decodeAsServer(Frames.hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")));
        assertEquals(List.of("TEXT fin=true rsv=0 len=5 48656c6c6f"), recorder.events);
    }

    @Test
    void section5_7_fragmentedUnmaskedTextMessageAsClient() {
        // §5.7: "A fragmented unmasked text message": "Hel" then "lo".
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, LIMIT, LIMIT, 0);
        assertNull(decoder.decode(ByteBuffer.wrap(Frames.hex("01 03 48 65 6c 80 02 6c 6f")), recorder));
        assertEquals(List.of("TEXT fin=false rsv=0 len=3 48656c", "CONTINUATION fin=true rsv=0 len=2 6c6f"),
                recorder.events);
    }

    @Test
    void section5_7_unmaskedPingAsClient() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, LIMIT, LIMIT, 0);
        assertNull(decoder.decode(ByteBuffer.wrap(Frames.hex("89 05 48 65 6c 6c 6f")), recorder));
        assertEquals(List.of("PING 48656c6c6f"), recorder.events);
    }

    @Test
    void section5_2_sixteenAndSixtyFourBitLengths() {
        byte[] medium = new byte[256];
        byte[] large = new byte[65536];
        large[65535] = 7;
        byte[] stream = Frames.start().client(Opcode.BINARY, true, medium).client(Opcode.BINARY, true, large).bytes();
        assertNull(decodeAsServer(stream));
        assertEquals(2, recorder.events.size());
        assertTrue(recorder.events.get(0).startsWith("BINARY fin=true rsv=0 len=256 "));
        assertTrue(recorder.events.get(1).startsWith("BINARY fin=true rsv=0 len=65536 "));
        assertTrue(recorder.events.get(1).endsWith("07"));
    }

    @Test
    void section5_1_unmaskedClientFrameIsAProtocolError() {
        byte[] unmasked = Frames.start().frame(Opcode.TEXT.code(), true, 0, false, Frames.utf8("hi")).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(unmasked));
    }

    @Test
    void section5_1_maskedServerFrameIsAProtocolErrorForAClient() {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, LIMIT, LIMIT, 0);
        byte[] masked = Frames.start().clientText("hi").bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decoder.decode(ByteBuffer.wrap(masked), recorder));
    }

    @Test
    void section5_2_rsvBitsWithoutAnExtensionAreAProtocolError() {
        for (int rsv = 1; rsv <= 7; rsv++) {
            byte[] frame = Frames.start().client(Opcode.TEXT.code(), true, rsv, Frames.utf8("x")).bytes();
            assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(frame));
        }
    }

    @Test
    void section5_2_rsv1AllowedOnlyOnTheFirstFrameOfADataMessageWhenNegotiated() {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0b100);
        byte[] ok = Frames.start().client(Opcode.TEXT.code(), false, 0b100, Frames.utf8("a")).bytes();
        assertNull(decoder.decode(ByteBuffer.wrap(ok), recorder));
        byte[] onContinuation = Frames.start().client(Opcode.CONTINUATION.code(), true, 0b100, Frames.utf8("b")).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decoder.decode(ByteBuffer.wrap(onContinuation), recorder));
        FrameDecoder other = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0b100);
        byte[] onPing = Frames.start().client(Opcode.PING.code(), true, 0b100, new byte[0]).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, other.decode(ByteBuffer.wrap(onPing), recorder));
    }

    @Test
    void section5_2_reservedOpcodesAreAProtocolError() {
        for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            byte[] frame = Frames.start().client(opcode, true, 0, new byte[0]).bytes();
            assertViolation(CloseCode.PROTOCOL_ERROR, new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0)
                    .decode(ByteBuffer.wrap(frame), recorder));
        }
    }

    @Test
    void section5_5_controlFrameLongerThan125BytesIsAProtocolError() {
        byte[] frame = Frames.start().client(Opcode.PING, true, new byte[126]).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(frame));
        assertTrue(recorder.events.isEmpty(), "nothing delivered");
    }

    @Test
    void section5_5_fragmentedControlFrameIsAProtocolError() {
        byte[] frame = Frames.start().client(Opcode.PING, false, Frames.utf8("x")).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(frame));
    }

    @Test
    void section5_4_controlFramesMayBeInjectedBetweenFragments() {
        byte[] stream = Frames.start().client(Opcode.TEXT, false, Frames.utf8("a"))
                .client(Opcode.PING, true, Frames.utf8("p"))
                .client(Opcode.CONTINUATION, true, Frames.utf8("b")).bytes();
        assertNull(decodeAsServer(stream));
        assertEquals(List.of("TEXT fin=false rsv=0 len=1 61", "PING 70", "CONTINUATION fin=true rsv=0 len=1 62"),
                recorder.events);
    }

    @Test
    void section5_4_continuationWithoutAStartIsAProtocolError() {
        byte[] frame = Frames.start().client(Opcode.CONTINUATION, true, Frames.utf8("x")).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(frame));
    }

    @Test
    void section5_4_newDataFrameInsideAFragmentedMessageIsAProtocolError() {
        byte[] stream = Frames.start().client(Opcode.TEXT, false, Frames.utf8("a"))
                .client(Opcode.BINARY, true, Frames.utf8("b")).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(stream));
        assertEquals(List.of("TEXT fin=false rsv=0 len=1 61"), recorder.events);
    }

    @Test
    void section5_2_sixtyFourBitLengthWithTheTopBitSetIsAProtocolError() {
        byte[] frame = Frames.start().raw(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0).raw(0x37, 0xFA, 0x21, 0x3D).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(frame));
    }

    @Test
    void section5_2_lengthNotInItsShortestFormIsAProtocolError() {
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(Frames.start().raw(0x82, 0xFE, 0, 125).bytes()));
        assertViolation(CloseCode.PROTOCOL_ERROR,
                new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0).decode(
                        ByteBuffer.wrap(Frames.start().raw(0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF).bytes()), recorder));
    }

    @Test
    void frameLargerThanTheFrameLimitIsTooBigBeforeAnyPayloadIsRead() {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, 1000, LIMIT, 0);
        // Only the header arrives: the limit is enforced without waiting for the payload.
        ByteBuffer header = ByteBuffer.wrap(Frames.start().raw(0x82, 0xFE, 0x03, 0xE9).bytes());
        assertViolation(CloseCode.MESSAGE_TOO_BIG, decoder.decode(header, recorder));
    }

    @Test
    void messageLargerThanTheMessageLimitAcrossFragmentsIsTooBig() {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, 100, 0);
        byte[] stream = Frames.start().client(Opcode.BINARY, false, new byte[60])
                .client(Opcode.CONTINUATION, true, new byte[41]).bytes();
        assertViolation(CloseCode.MESSAGE_TOO_BIG, decoder.decode(ByteBuffer.wrap(stream), recorder));
        assertEquals(1, recorder.events.size(), "the first fragment was within the limit");
    }

    @Test
    void dataPayloadStreamsOutAsItArrives() {
        // A 1000-byte frame fed in 10 pieces produces 10 chunks: nothing waits for the whole frame.
        byte[] frame = Frames.start().client(Opcode.BINARY, true, new byte[1000]).bytes();
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0);
        int[] chunks = {0};
        FrameListener counting = new FrameListener() {
            @Override
            public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
                return null;
            }

            @Override
            public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
                chunks[0]++;
                return null;
            }

            @Override
            public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
                return null;
            }
        };
        ByteBuffer header = ByteBuffer.wrap(frame, 0, 8);
        assertNull(decoder.decode(header, counting));
        for (int at = 8; at < frame.length; at += 100) {
            assertNull(decoder.decode(ByteBuffer.wrap(frame, at, Math.min(100, frame.length - at)), counting));
        }
        assertEquals(10, chunks[0]);
    }

    @Test
    void aViolationLaterInTheBufferDoesNotHideTheFramesBeforeIt() {
        byte[] stream = Frames.start().clientText("first").client(7, true, 0, new byte[0]).bytes();
        assertViolation(CloseCode.PROTOCOL_ERROR, decodeAsServer(stream));
        assertEquals(List.of("TEXT fin=true rsv=0 len=5 6669727374"), recorder.events);
    }

    @Test
    void afterAViolationTheDecoderStaysFailed() {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0);
        ProtocolViolation first = decoder.decode(ByteBuffer.wrap(new byte[] {(byte) 0x83}), recorder);
        ProtocolViolation again = decoder.decode(Frames.start().clientText("ok").buffer(), recorder);
        assertEquals(first, again);
        assertTrue(decoder.hasFailed());
        assertTrue(recorder.events.isEmpty());
    }

    @Test
    void stopEndsDecodingFromInsideAListener() {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0);
        byte[] stream = Frames.start().clientClose(1000, "").clientText("after").bytes();
        ByteBuffer in = ByteBuffer.wrap(stream);
        FrameListener stopOnClose = new FrameListener() {
            @Override
            public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
                recorder.events.add("data");
                return null;
            }

            @Override
            public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
                return null;
            }

            @Override
            public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
                recorder.events.add(opcode.name());
                decoder.stop();
                return null;
            }
        };
        assertNull(decoder.decode(in, stopOnClose));
        assertEquals(List.of("CLOSE"), recorder.events);
    }

    @Test
    void pauseReturnsAfterThePartHandedOutAndTheNextCallGoesOnFromThere() {
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0);
        byte[] stream = Frames.start().client(Opcode.BINARY, true, new byte[] {1, 2, 3, 4}).clientText("next").bytes();
        List<String> seen = new java.util.ArrayList<>();
        FrameListener pausing = new FrameListener() {
            @Override
            public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
                seen.add(opcode.name());
                return null;
            }

            @Override
            public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
                seen.add(RecordingFrameListener.hex(chunk));
                decoder.pause();
                return null;
            }

            @Override
            public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
                return null;
            }
        };
        // The first read ends inside the first frame: its end is not a pause, and the request is not carried over.
        ByteBuffer first = ByteBuffer.wrap(stream, 0, 8);
        assertNull(decoder.decode(first, pausing));
        assertEquals(0, first.remaining());
        ByteBuffer rest = ByteBuffer.wrap(stream, 8, stream.length - 8);
        assertNull(decoder.decode(rest, pausing));
        assertEquals(List.of("BINARY", "0102", "0304"), seen, "paused after the rest of the first frame");
        assertEquals(stream.length - 10, rest.remaining(), "the next frame waits in the input");
        assertNull(decoder.decode(rest, pausing));
        assertEquals(List.of("BINARY", "0102", "0304", "TEXT", "6e657874"), seen);
    }

    @Test
    void controlFramePayloadSplitAcrossReadsIsCollectedWhole() {
        byte[] frame = Frames.start().client(Opcode.PING, true, Frames.utf8("0123456789")).bytes();
        FrameDecoder decoder = new FrameDecoder(Role.SERVER, LIMIT, LIMIT, 0);
        for (byte b : frame) {
            assertNull(decoder.decode(ByteBuffer.wrap(new byte[] {b}), recorder));
        }
        assertEquals(List.of("PING 30313233343536373839"), recorder.events);
    }
}
