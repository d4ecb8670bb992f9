package dev.wsreactor.protocol.internal;

import dev.wsreactor.protocol.CloseCode;

/**
 * What the peer did wrong, as a value: the close code to send and a short reason (§7.1.7). Every check in
 * this module returns one of these instead of throwing, and the connection turns it into a Close frame in
 * exactly one place ({@code StateMachine.failIfViolated}).
 *
 * @param code the close code for the Close frame we send, never one of the local-only codes
 * @param reason a short English reason; it goes into the Close frame, so it must stay under 123 bytes
 */
public record ProtocolViolation(CloseCode code, String reason) {

    public ProtocolViolation {
        if (!code.isAllowedOnWire()) {
            throw new IllegalArgumentException("a violation is reported with a code that may be sent: " + code);
        }
        if (reason.length() > 120) {
            throw new IllegalArgumentException("reason too long for a Close frame: " + reason);
        }
    }

    public static ProtocolViolation protocolError(String reason) {
        return new ProtocolViolation(CloseCode.PROTOCOL_ERROR, reason);
    }

    public static ProtocolViolation invalidPayload(String reason) {
        return new ProtocolViolation(CloseCode.INVALID_PAYLOAD, reason);
    }

    public static ProtocolViolation messageTooBig(String reason) {
        return new ProtocolViolation(CloseCode.MESSAGE_TOO_BIG, reason);
    }

    @Override
    public String toString() {
        return code + ": " + reason;
    }
}
