package dev.wsreactor.protocol.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of addresses and CIDR ranges (RFC 4632), IPv4 and IPv6: the proxies a server trusts. An IPv4-mapped IPv6
 * address ({@code ::ffff:192.0.2.1}) matches as the IPv4 address it carries.
 */
public final class AddressRanges {

    /** The empty set: nothing is trusted. */
    public static final AddressRanges NONE = new AddressRanges(List.of());

    private record Range(byte[] network, int prefixBits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> ranges;

    private AddressRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Reads addresses ({@code 10.0.0.1}, {@code ::1}) and ranges ({@code 10.0.0.0/8}, {@code fd00::/8}).
     *
     * @param entries the addresses and ranges
     * @return the set of them
     * @throws IllegalArgumentException naming the first entry that is neither an address literal nor a range
     */
    public static AddressRanges parse(Iterable<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(range(entry.strip()));
        }
        return new AddressRanges(List.copyOf(ranges));
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        byte[] network = IpAddress.parse(slash < 0 ? entry : entry.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + entry);
        }
        network = IpAddress.unmapped(network);
        int bits = network.length * 8;
        if (slash >= 0) {
            int prefix = IpAddress.decimal(entry.substring(slash + 1), bits);
            if (prefix < 0) {
                throw new IllegalArgumentException("not a prefix length of 0 to " + bits + " bits: " + entry);
            }
            bits = prefix;
        }
        return new Range(network, bits);
    }

    /**
     * Whether the address is in one of the ranges.
     *
     * @param address 4 or 16 bytes, as {@code InetAddress.getAddress()} gives them
     * @return true when it is
     */
    public boolean contains(byte[] address) {
        byte[] plain = IpAddress.unmapped(address);
        for (Range range : ranges) {
            if (range.contains(plain)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether there are no ranges at all.
     *
     * @return true when nothing is trusted
     */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }
}
