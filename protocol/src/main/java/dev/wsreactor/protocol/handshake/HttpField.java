package dev.wsreactor.protocol.handshake;

/**
 * One header field line: a name and its value, as received (RFC 9110 §5).
 *
 * @param name the field's name
 * @param value the field's value
 */
public record HttpField(String name, String value) {
}
