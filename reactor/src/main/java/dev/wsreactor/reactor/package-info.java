/**
 * The WebSocket server and client over {@code java.nio}: one Selector loop per thread, TLS, timers, pooled buffers
 * and counters.
 *
 * <p>Start at {@link dev.wsreactor.reactor.WebSocketServer#builder()}: give it a
 * {@link dev.wsreactor.reactor.WebSocketHandler}, build and start it; each connection is a
 * {@link dev.wsreactor.reactor.Session} to send on, from any thread. {@link dev.wsreactor.reactor.WebSocketClient}
 * opens connections with the same handler and session types; {@link dev.wsreactor.reactor.Tls} makes the
 * {@code SSLContext} for {@code wss://}; {@link dev.wsreactor.reactor.ServerStats} and
 * {@link dev.wsreactor.reactor.Counter} are the server's figures. The protocol itself (close codes, compression
 * settings, the handshake's HTTP types) is in the {@code dev.wsreactor.protocol} module, which this one brings.
 */
package dev.wsreactor.reactor;
