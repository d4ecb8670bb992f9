package dev.wsreactor.protocol.internal;

/**
 * The frame opcodes of RFC 6455 §5.2 and §11.8. Reserved values (3-7, 0xB-0xF) have no constant:
 * {@link #fromCode(int)} returns {@code null} for them, and the decoder fails the connection (1002).
 */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The 4-bit value on the wire. */
    public int code() {
        return code;
    }

    /** §5.5: control frames have the high bit of the opcode set. */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** The opcode for a 4-bit wire value, or {@code null} when the value is reserved. */
    public static Opcode fromCode(int code) {
        return BY_CODE[code & 0xF];
    }
}
