package dev.wsreactor.reactor;

import dev.wsreactor.protocol.internal.AddressRanges;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the server believes of the proxies in front of it, shared by every reactor: the trusted addresses and
 * ranges, whether connections start with a PROXY header, and the log of headers that failed (once per interval).
 */
final class ProxySettings {

    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** The proxies whose headers are believed; empty: none for forwarding headers, any for PROXY headers. */
    final AddressRanges trusted;
    /** Whether every connection must start with a PROXY protocol header. */
    final ProxyProtocol mode;
    /** Shared by the reactors, so written under its own lock (failures are rare, and each costs a closed socket). */
    private final ReactorLog.Throttled failures = new ReactorLog.Throttled(Level.WARNING, LOG_INTERVAL_NANOS);

    ProxySettings(List<String> trusted, ProxyProtocol mode) {
        this.trusted = AddressRanges.parse(trusted);
        this.mode = mode;
    }

    /** Whether forwarding headers from this peer are believed. */
    boolean trusts(InetSocketAddress peer) {
        return peer.getAddress() != null && trusted.contains(peer.getAddress().getAddress());
    }

    /** Whether a PROXY header from this peer is accepted: any peer unless trusted proxies are named. */
    boolean acceptsHeaderFrom(InetSocketAddress peer) {
        return trusted.isEmpty() || trusts(peer);
    }

    /** A connection closed for its PROXY header: logged at most once per interval, with a count. */
    void headerFailed(long nowNanos, Supplier<String> what) {
        synchronized (failures) {
            failures.occurred(nowNanos, what);
        }
    }
}
