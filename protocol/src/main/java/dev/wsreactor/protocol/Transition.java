package dev.wsreactor.protocol;

/**
 * One row of the state table: in state {@code from}, {@code trigger} leads to {@code to}, doing {@code action}.
 *
 * @param action what the connection does on the way, in words (the code that does it is in {@code Connection})
 * @param rfc the RFC 6455 section the rule comes from
 */
public record Transition(ConnectionState from, Trigger trigger, ConnectionState to, String action, String rfc) {
}
