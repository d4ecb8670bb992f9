/**
 * The HTTP side of the opening handshake (RFC 6455 §4): the request a server sees
 * ({@link dev.wsreactor.protocol.handshake.HttpRequest}, {@link dev.wsreactor.protocol.handshake.HttpHeaders}),
 * the checks it applies ({@link dev.wsreactor.protocol.handshake.HandshakePolicy}, answered with a
 * {@link dev.wsreactor.protocol.handshake.HandshakeRejection}), the responses it sends
 * ({@link dev.wsreactor.protocol.handshake.HttpResponse}, {@link dev.wsreactor.protocol.handshake.HttpStatus}) and
 * its settings ({@link dev.wsreactor.protocol.handshake.ServerHandshakeConfig}). A client's side is
 * {@link dev.wsreactor.protocol.handshake.ClientHandshake}.
 */
package dev.wsreactor.protocol.handshake;
