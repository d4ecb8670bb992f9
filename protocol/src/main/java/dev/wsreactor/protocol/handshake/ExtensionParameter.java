package dev.wsreactor.protocol.handshake;

/**
 * One parameter of an extension offer (RFC 6455 §9.1), such as {@code client_max_window_bits=10}.
 *
 * @param name the parameter's name
 * @param value the value, unquoted, or {@code null} when the parameter has none
 */
public record ExtensionParameter(String name, String value) {
}
