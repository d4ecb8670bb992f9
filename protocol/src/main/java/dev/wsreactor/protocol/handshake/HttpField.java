package dev.wsreactor.protocol.handshake;

/** One header field line: a name and its value, as received (RFC 9110 §5). */
public record HttpField(String name, String value) {
}
