package dev.wsreactor.protocol.internal;

/** The fields of a PROXY protocol v1 line, after {@code "PROXY "} and before the CRLF. */
final class ProxyV1 {

    private ProxyV1() {
    }

    /** {@code TCP4 src dst sport dport}, {@code TCP6 ...} or {@code UNKNOWN[ anything]}; null when malformed. */
    static ProxyHeader parse(String fields) {
        if (fields.equals("UNKNOWN") || fields.startsWith("UNKNOWN ")) {
            return new ProxyHeader(1, ProxyHeader.Command.PROXY, ProxyHeader.Family.UNSPEC, null, 0, null, 0);
        }
        String[] parts = fields.split(" ", -1);
        if (parts.length != 5 || !(parts[0].equals("TCP4") || parts[0].equals("TCP6"))) {
            return null;
        }
        int size = parts[0].equals("TCP4") ? 4 : 16;
        byte[] source = IpAddress.parse(parts[1]);
        byte[] destination = IpAddress.parse(parts[2]);
        int sourcePort = port(parts[3]);
        int destinationPort = port(parts[4]);
        if (source == null || source.length != size || destination == null || destination.length != size
                || sourcePort < 0 || destinationPort < 0) {
            return null;
        }
        ProxyHeader.Family family = size == 4 ? ProxyHeader.Family.INET : ProxyHeader.Family.INET6;
        return new ProxyHeader(1, ProxyHeader.Command.PROXY, family, source, sourcePort, destination,
                destinationPort);
    }

    /** 0 to 65535 in decimal without leading zeros, or -1. */
    private static int port(String text) {
        return text.length() > 1 && text.charAt(0) == '0' ? -1 : IpAddress.decimal(text, 65535);
    }
}
