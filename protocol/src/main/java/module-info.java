/**
 * The sans-I/O WebSocket protocol (RFC 6455): the opening handshake, frames, close codes, permessage-deflate
 * (RFC 7692) and the connection's state machine as a table, driven by bytes in and bytes out, never a socket.
 *
 * <p>Start at {@link dev.wsreactor.protocol.Connection}; the handshake's HTTP types are in
 * {@link dev.wsreactor.protocol.handshake}. The internal packages are the codec behind them, opened to the
 * reactor module only.
 */
@SuppressWarnings("module") // the reactor module is not on the path while this one compiles
module dev.wsreactor.protocol {
    exports dev.wsreactor.protocol;
    exports dev.wsreactor.protocol.handshake;
    exports dev.wsreactor.protocol.internal to dev.wsreactor.reactor;
    exports dev.wsreactor.protocol.internal.handshake to dev.wsreactor.reactor;
}
