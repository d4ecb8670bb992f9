/**
 * The WebSocket server and client over {@code java.nio}: one Selector loop per thread, TLS, timers, pooled
 * buffers and JMX counters, on top of the sans-I/O {@code dev.wsreactor.protocol} module.
 *
 * <p>Start at {@link dev.wsreactor.reactor.WebSocketServer} (or {@link dev.wsreactor.reactor.WebSocketClient}).
 */
module dev.wsreactor.reactor {
    requires transitive dev.wsreactor.protocol;
    requires java.management; // the server's counters as an MXBean
    requires jdk.management; // the process's open-file limit, which sizes the default handshake cap

    exports dev.wsreactor.reactor;
    exports dev.wsreactor.bus;
}
