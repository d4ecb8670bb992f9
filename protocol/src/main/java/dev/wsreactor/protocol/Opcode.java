package dev.wsreactor.protocol;

/**
 * The frame opcodes of RFC 6455 §5.2 and §11.8. Reserved values (3-7, 0xB-0xF) have no constant:
 * {@link #fromCode(int)} returns {@code null} for them, and the decoder fails the connection (1002).
 */
public enum Opcode {
    /** 0x0: a later frame of a fragmented message (§5.4). */
    CONTINUATION(0x0),
    /** 0x1: the first frame of a text message, UTF-8. */
    TEXT(0x1),
    /** 0x2: the first frame of a binary message. */
    BINARY(0x2),
    /** 0x8: the closing handshake (§5.5.1). */
    CLOSE(0x8),
    /** 0x9: a Ping, answered with a Pong (§5.5.2). */
    PING(0x9),
    /** 0xA: a Pong, the answer to a Ping or a unidirectional heartbeat (§5.5.3). */
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

    /** {@return the 4-bit value on the wire} */
    public int code() {
        return code;
    }

    /** {@return whether this is a control frame's opcode} §5.5: control frames have the opcode's high bit set. */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /**
     * {@return the opcode for a 4-bit wire value, or {@code null} when the value is reserved}
     *
     * @param code the value on the wire (only its low four bits are read)
     */
    public static Opcode fromCode(int code) {
        return BY_CODE[code & 0xF];
    }
}
