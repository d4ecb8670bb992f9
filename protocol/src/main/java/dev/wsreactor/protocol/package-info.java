/**
 * The sans-I/O WebSocket protocol (RFC 6455, with permessage-deflate from RFC 7692): bytes in, events and bytes
 * out, never a socket.
 *
 * <p>Start at {@link dev.wsreactor.protocol.Connection}: make one with {@link dev.wsreactor.protocol.Connection#server
 * Connection.server} or {@link dev.wsreactor.protocol.Connection#client Connection.client}, feed it what the peer
 * sends ({@link dev.wsreactor.protocol.Connection#receive receive}), write what it queues
 * ({@link dev.wsreactor.protocol.Connection#output output}), run its timers
 * ({@link dev.wsreactor.protocol.Connection#onTimer onTimer}), and hear the messages through a
 * {@link dev.wsreactor.protocol.ConnectionListener}. {@link dev.wsreactor.protocol.ConnectionConfig} holds the
 * limits and timeouts, {@link dev.wsreactor.protocol.DeflateConfig} the compression, and
 * {@link dev.wsreactor.protocol.CloseCode} the close codes.
 *
 * <p>The connection's life is a table, to print and study: {@link dev.wsreactor.protocol.Transitions} lists every
 * {@link dev.wsreactor.protocol.Transition} from a {@link dev.wsreactor.protocol.ConnectionState} on a
 * {@link dev.wsreactor.protocol.Trigger}, with the {@link dev.wsreactor.protocol.Action}s it performs.
 */
package dev.wsreactor.protocol;
