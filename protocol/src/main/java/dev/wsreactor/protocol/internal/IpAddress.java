package dev.wsreactor.protocol.internal;

/**
 * IPv4 and IPv6 address literals read without a name lookup ({@code InetAddress.getByName} resolves whatever is
 * not a literal, which a header from the network must never make us do). Strict: dotted quads without leading
 * zeros (RFC 6943 §3.1.1), RFC 4291 §2.2 text for IPv6 (with {@code ::} and a trailing dotted quad), no zone.
 */
public final class IpAddress {

    private IpAddress() {
    }

    /**
     * Reads an address literal.
     *
     * @param text the literal, e.g. {@code 192.0.2.1} or {@code 2001:db8::1}, without brackets
     * @return its 4 or 16 bytes, or {@code null} when it is not a valid literal
     */
    public static byte[] parse(CharSequence text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':') {
                return parseIpv6(text);
            }
        }
        return parseIpv4(text, 0, text.length());
    }

    /**
     * The IPv4 address inside an IPv4-mapped IPv6 one ({@code ::ffff:a.b.c.d}), or the address as it is.
     *
     * @param address 4 or 16 address bytes
     * @return the 4 bytes of the IPv4 address it maps, or {@code address} itself
     */
    public static byte[] unmapped(byte[] address) {
        if (address.length != 16) {
            return address;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return address;
            }
        }
        if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
            return address;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    /**
     * A decimal number from 0 to {@code max}, written in at most as many digits as {@code max} has: a port, a
     * prefix length. Leading zeros are the caller's to refuse where its format does.
     *
     * @param text the digits
     * @param max the largest number allowed
     * @return the number, or -1 when {@code text} is not one
     */
    static int decimal(String text, int max) {
        if (text.isEmpty() || text.length() > Integer.toString(max).length()) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return -1;
            }
            value = value * 10 + text.charAt(i) - '0';
        }
        return value <= max ? value : -1;
    }

    private static byte[] parseIpv4(CharSequence text, int from, int to) {
        byte[] address = new byte[4];
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && isDigit(text.charAt(i))) {
                value = value * 10 + text.charAt(i) - '0';
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return null;
            }
            address[part++] = (byte) value;
            if (part < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == to ? address : null;
    }

    private static byte[] parseIpv6(CharSequence text) {
        byte[] address = new byte[16];
        int length = text.length();
        int groups = 0; // 16-bit groups written so far
        int gap = -1; // where "::" stands, in groups
        int i = 0;
        if (text.charAt(0) == ':') {
            if (length < 2 || text.charAt(1) != ':') {
                return null;
            }
            gap = 0;
            i = 2;
        }
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && i - start < 4 && Character.digit(text.charAt(i), 16) >= 0) {
                value = value << 4 | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < length && text.charAt(i) == '.') { // a trailing dotted quad: the last 32 bits
                byte[] ipv4 = groups <= 6 ? parseIpv4(text, start, length) : null;
                if (ipv4 == null) {
                    return null;
                }
                System.arraycopy(ipv4, 0, address, groups * 2, 4);
                groups += 2;
                i = length;
                break;
            }
            if (i == start || groups == 8) {
                return null;
            }
            address[groups * 2] = (byte) (value >> 8);
            address[groups * 2 + 1] = (byte) value;
            groups++;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // "::" at most once
                }
                gap = groups;
                i++;
            } else if (i == length) {
                return null; // a single trailing ':'
            }
        }
        if (gap < 0) {
            return groups == 8 ? address : null;
        }
        if (groups == 8) {
            return null; // "::" must stand for at least one group
        }
        int moved = (groups - gap) * 2;
        System.arraycopy(address, gap * 2, address, 16 - moved, moved);
        java.util.Arrays.fill(address, gap * 2, 16 - moved, (byte) 0);
        return address;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
