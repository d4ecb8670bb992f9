package dev.wsreactor.reactor;

import java.nio.channels.SocketChannel;

/** Which transport a connection gets: plain TCP or TLS, behind a PROXY header reader where the server wants one. */
final class Transports {

    private Transports() {
    }

    /** The transport of {@code driver}'s socket; a server's connection reads a PROXY header first if required. */
    static Transport open(SocketDriver driver, SocketChannel channel, LoopContext context, boolean server) {
        Loop loop = context.loop();
        Transport transport = context.tls() == null
                ? new PlainTransport(channel, driver.protocol, context.readBuffer(), loop.counters())
                : new TlsTransport(driver.id, channel, driver.protocol, context.tls(), context.server(), loop,
                        driver::resumeInput);
        ProxySettings proxies = context.settings().proxies;
        if (!server || proxies.mode != ProxyProtocol.REQUIRED) {
            return transport;
        }
        return new ProxyProtocolTransport(driver.id, channel, transport, context.readBuffer(),
                driver.session.remoteAddress(), driver.session.origin, proxies, loop.counters());
    }
}
