package dev.wsreactor.protocol.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a PROXY protocol header (HAProxy's spec, v1 text and v2 binary) from the start of a connection, however
 * its bytes are split across reads. It takes only the header's bytes from each buffer, so what follows (TLS, the
 * HTTP request) stays in the buffer for the next layer. v2's TLVs are skipped. A header that is malformed, too
 * long, or absent makes it fail with a reason, once and for all.
 */
public final class ProxyHeaderParser {

    /** v1's longest line, CRLF included (the spec's 107 bytes). */
    public static final int MAX_V1_LENGTH = 107;
    /** The most bytes of addresses and TLVs a v2 header may carry here (the format allows 65,535). */
    public static final int MAX_V2_BODY = 4096;

    /** How far {@link #feed} got. */
    public enum Outcome {
        /** The header is not complete yet: feed more. */
        NEED_MORE,
        /** The header is read: {@link #header()}; the buffer's remaining bytes are the connection's own. */
        DONE,
        /** Not a valid header: {@link #failure()} says why. Close the connection. */
        FAILED
    }

    private enum State { SIGNATURE, V1_LINE, V2_FIXED, V2_BODY, DONE, FAILED }

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_FIXED_LENGTH = 16;
    private static final int UNIX_ADDRESSES = 216;

    /** The header's bytes kept so far: the v1 line, or v2's fixed part and addresses (TLVs are not kept). */
    private final byte[] kept = new byte[V2_FIXED_LENGTH + UNIX_ADDRESSES];
    private int keptLength;
    private State state = State.SIGNATURE;
    private byte[] signature;
    /** v2: the bytes of the body still to come, and how many of them are addresses (kept). */
    private int bodyLeft;
    private int addressLength;
    private ProxyHeader header;
    private String failure;

    /** A parser at the start of a connection, waiting for the header's first byte. */
    public ProxyHeaderParser() {
    }

    /**
     * Takes the header's bytes from {@code in}, and nothing after them.
     *
     * @param in bytes read from the connection; its position moves past the header bytes it held
     * @return whether the header is complete, incomplete, or invalid
     */
    public Outcome feed(ByteBuffer in) {
        while (in.hasRemaining() && state != State.DONE && state != State.FAILED) {
            switch (state) {
                case SIGNATURE -> signature(in.get());
                case V1_LINE -> v1(in.get());
                case V2_FIXED -> v2Fixed(in.get());
                case V2_BODY -> v2Body(in);
                default -> throw new IllegalStateException(state.name());
            }
        }
        if (state == State.V2_BODY && bodyLeft == 0) {
            finishV2(); // a header without a body ends with its fixed part
        }
        return switch (state) {
            case DONE -> Outcome.DONE;
            case FAILED -> Outcome.FAILED;
            default -> Outcome.NEED_MORE;
        };
    }

    /**
     * The header, once {@link #feed} returned {@link Outcome#DONE}.
     *
     * @return the header, or {@code null} before then
     */
    public ProxyHeader header() {
        return header;
    }

    /**
     * Why the header is invalid, once {@link #feed} returned {@link Outcome#FAILED}.
     *
     * @return the reason, or {@code null}
     */
    public String failure() {
        return failure;
    }

    private void signature(byte b) {
        if (keptLength == 0) {
            signature = b == 'P' ? V1_PREFIX : b == 0x0D ? V2_SIGNATURE : null;
            if (signature == null) {
                fail("no PROXY protocol header (first byte 0x" + Integer.toHexString(b & 0xFF) + ")");
                return;
            }
        }
        if (b != signature[keptLength]) {
            fail("no PROXY protocol header (wrong signature)");
            return;
        }
        kept[keptLength++] = b;
        if (keptLength == signature.length) {
            state = signature == V1_PREFIX ? State.V1_LINE : State.V2_FIXED;
        }
    }

    private void v1(byte b) {
        if (keptLength == MAX_V1_LENGTH) {
            fail("v1 header longer than " + MAX_V1_LENGTH + " bytes");
            return;
        }
        boolean endOfLine = b == '\n' && kept[keptLength - 1] == '\r';
        if (!endOfLine && b != '\r' && (b < 0x20 || b > 0x7E)) {
            fail("v1 header with a control or non-ASCII byte 0x" + Integer.toHexString(b & 0xFF));
            return;
        }
        if (kept[keptLength - 1] == '\r' && !endOfLine) {
            fail("v1 header with a CR not followed by LF");
            return;
        }
        kept[keptLength++] = b;
        if (endOfLine) {
            header = ProxyV1.parse(new String(kept, 6, keptLength - 8, StandardCharsets.US_ASCII));
            if (header == null) {
                fail("malformed v1 header: \"" + new String(kept, 0, keptLength - 2, StandardCharsets.US_ASCII)
                        + "\"");
            } else {
                state = State.DONE;
            }
        }
    }

    private void v2Fixed(byte b) {
        kept[keptLength++] = b;
        if (keptLength < V2_FIXED_LENGTH) {
            return;
        }
        int versionCommand = kept[12] & 0xFF;
        int family = (kept[13] & 0xFF) >> 4;
        int transport = kept[13] & 0x0F;
        bodyLeft = (kept[14] & 0xFF) << 8 | (kept[15] & 0xFF);
        if (versionCommand >> 4 != 2) {
            fail("v2 header with version " + (versionCommand >> 4));
        } else if ((versionCommand & 0x0F) > 1) {
            fail("v2 header with an unknown command " + (versionCommand & 0x0F));
        } else if (family > 3 || transport > 2) {
            fail("v2 header with an unknown family or transport 0x" + Integer.toHexString(kept[13] & 0xFF));
        } else if (bodyLeft > MAX_V2_BODY) {
            fail("v2 header of " + bodyLeft + " bytes, over the limit of " + MAX_V2_BODY);
        } else {
            addressLength = switch (family) {
                case 1 -> 12;
                case 2 -> 36;
                case 3 -> UNIX_ADDRESSES;
                default -> 0;
            };
            boolean local = (versionCommand & 0x0F) == 0;
            if (!local && bodyLeft < addressLength) {
                fail("v2 header of " + bodyLeft + " bytes, too short for its addresses (" + addressLength + ")");
                return;
            }
            addressLength = Math.min(addressLength, bodyLeft); // LOCAL: whatever it carries is skipped anyway
            state = State.V2_BODY;
        }
    }

    private void v2Body(ByteBuffer in) {
        int take = Math.min(in.remaining(), bodyLeft);
        int keep = Math.min(take, V2_FIXED_LENGTH + addressLength - keptLength);
        in.get(kept, keptLength, keep);
        keptLength += keep;
        in.position(in.position() + take - keep); // TLVs: skipped
        bodyLeft -= take;
        if (bodyLeft == 0) {
            finishV2();
        }
    }

    private void finishV2() {
        boolean local = (kept[12] & 0x0F) == 0;
        int family = (kept[13] & 0xFF) >> 4;
        boolean stream = (kept[13] & 0x0F) == 1;
        ProxyHeader.Command command = local ? ProxyHeader.Command.LOCAL : ProxyHeader.Command.PROXY;
        if (local || family == 0 || family == 3 || !stream) { // no IP endpoints of a TCP connection to take
            ProxyHeader.Family named = ProxyHeader.Family.values()[family];
            header = new ProxyHeader(2, command, named, null, 0, null, 0);
        } else {
            int size = family == 1 ? 4 : 16;
            int at = V2_FIXED_LENGTH;
            byte[] source = Arrays.copyOfRange(kept, at, at + size);
            byte[] destination = Arrays.copyOfRange(kept, at + size, at + 2 * size);
            int ports = at + 2 * size;
            header = new ProxyHeader(2, command, family == 1 ? ProxyHeader.Family.INET : ProxyHeader.Family.INET6,
                    source, port(ports), destination, port(ports + 2));
        }
        state = State.DONE;
    }

    private int port(int at) {
        return (kept[at] & 0xFF) << 8 | (kept[at + 1] & 0xFF);
    }

    private void fail(String why) {
        failure = why;
        state = State.FAILED;
    }
}
