package dev.wsreactor.protocol.internal;

import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads who the client is from the headers a reverse proxy adds: {@code Forwarded} (RFC 7239) when present,
 * otherwise {@code X-Forwarded-For}; the scheme from the chosen hop's {@code proto=}, else from
 * {@code X-Forwarded-Proto}. Only for a request whose peer is a trusted proxy; the caller checks that. The hops are
 * walked from the right (the one our proxy added) and trusted proxies skipped: the first untrusted address is the
 * client, so a client cannot pose as another by sending the header itself. Anything malformed makes the whole
 * header ignored, never an exception.
 */
public final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    /** One hop of the chain: its node's address bytes (null for unknown or obfuscated), port, and proto. */
    record Hop(byte[] address, int port, String proto) {
    }

    /**
     * What the forwarding headers say about the client.
     *
     * @param headers the request's header fields
     * @param trusted the proxies whose hops are skipped
     * @return the client, or why the headers were ignored
     */
    public static ForwardedClient resolve(HttpHeaders headers, AddressRanges trusted) {
        String proto = lastValue(headers.all("X-Forwarded-Proto"));
        String scheme = proto == null ? null : scheme(proto); // for when the chosen hop has no proto= of its own
        List<String> forwarded = headers.all("Forwarded");
        if (!forwarded.isEmpty()) {
            List<Hop> hops = new ArrayList<>();
            String problem = ForwardedParser.parse(String.join(",", forwarded), hops);
            return problem != null ? ForwardedClient.ignored("Forwarded: " + problem) : walk(hops, trusted, scheme);
        }
        List<String> forwardedFor = headers.all("X-Forwarded-For");
        if (forwardedFor.isEmpty()) {
            return ForwardedClient.notForwarded(scheme);
        }
        List<Hop> hops = new ArrayList<>();
        for (String entry : String.join(",", forwardedFor).split(",", -1)) {
            Hop hop = xForwardedForHop(entry.strip());
            if (hop == null) {
                return ForwardedClient.ignored("X-Forwarded-For: not an address: \"" + entry.strip() + "\"");
            }
            hops.add(hop);
        }
        return walk(hops, trusted, scheme);
    }

    /** The rightmost hop that is not a trusted proxy, or the leftmost when all are. */
    private static ForwardedClient walk(List<Hop> hops, AddressRanges trusted, String scheme) {
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop hop = hops.get(i);
            if (hop.address == null) {
                return ForwardedClient.ignored("the chain reaches an unknown or obfuscated node");
            }
            if (i == 0 || !trusted.contains(hop.address)) {
                String proto = hop.proto == null ? scheme : scheme(hop.proto);
                return new ForwardedClient(ForwardedClient.Verdict.FORWARDED, hop.address, hop.port, proto, null);
            }
        }
        return ForwardedClient.ignored("no hops");
    }

    /** {@code http}/{@code ws} → ws, {@code https}/{@code wss} → wss, anything else null. */
    static String scheme(String proto) {
        return switch (proto.strip().toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> "wss";
            case "http", "ws" -> "ws";
            default -> null;
        };
    }

    private static String lastValue(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        String last = values.get(values.size() - 1);
        return last.substring(last.lastIndexOf(',') + 1);
    }

    /** {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]:4711}; else null. */
    private static Hop xForwardedForHop(String entry) {
        byte[] address = IpAddress.parse(entry);
        if (address != null) {
            return new Hop(address, 0, null);
        }
        return node(entry, false);
    }

    /**
     * A node as RFC 7239 §6 writes it: an IPv4 address, a bracketed IPv6 address, {@code unknown} or an obfuscated
     * {@code _name}, with an optional {@code :port} (digits or obfuscated). Null when it is none of these.
     */
    static Hop node(String text, boolean identifiersAllowed) {
        String name = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            name = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
            byte[] address = IpAddress.parse(name);
            return address == null || address.length != 16 ? null : withPort(address, port, identifiersAllowed);
        }
        int colon = text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        byte[] address = IpAddress.parse(name);
        if (address != null && address.length == 4) {
            return withPort(address, port, identifiersAllowed);
        }
        boolean identifier = name.equalsIgnoreCase("unknown") || isObfuscated(name);
        return identifiersAllowed && identifier && (port == null || validPort(port, true)) ? new Hop(null, 0, null)
                : null;
    }

    private static Hop withPort(byte[] address, String port, boolean obfuscatedAllowed) {
        if (port == null) {
            return new Hop(address, 0, null);
        }
        if (!validPort(port, obfuscatedAllowed)) {
            return null;
        }
        return new Hop(address, port.startsWith("_") ? 0 : IpAddress.decimal(port, 65535), null);
    }

    private static boolean validPort(String port, boolean obfuscatedAllowed) {
        if (obfuscatedAllowed && isObfuscated(port)) {
            return true;
        }
        return IpAddress.decimal(port, 65535) >= 0;
    }

    /** RFC 7239 §6.3: {@code "_" 1*( ALPHA / DIGIT / "." / "_" / "-" )}. */
    private static boolean isObfuscated(String text) {
        return text.length() > 1 && text.charAt(0) == '_' && text.chars().skip(1).allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'));
    }

    /** Makes a hop from a parsed {@code for=} node and the element's {@code proto=}. */
    static Hop hop(Hop node, String proto) {
        return new Hop(node.address, node.port, proto);
    }
}
