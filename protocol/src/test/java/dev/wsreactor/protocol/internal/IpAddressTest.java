package dev.wsreactor.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAddressTest {

    @Test
    void readsTheLiteralsTheJdkReads() throws Exception {
        for (String literal : List.of("192.0.2.1", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1",
                "2001:db8:0:0:0:0:2:1", "fe80::1:2", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "1::8", "1:2:3:4:5:6::",
                "::2:3:4:5:6:7:8", "64:ff9b::192.0.2.33", "ABCD:ef01::")) {
            assertArrayEquals(InetAddress.getByName(literal).getAddress().length == 4 && literal.contains(":")
                    ? mapped(InetAddress.getByName(literal).getAddress()) : InetAddress.getByName(literal).getAddress(),
                    IpAddress.parse(literal), literal);
        }
    }

    /** The JDK turns {@code ::ffff:a.b.c.d} into an IPv4 address; we keep the 16 bytes and unmap on purpose. */
    private static byte[] mapped(byte[] ipv4) {
        byte[] address = new byte[16];
        address[10] = (byte) 0xFF;
        address[11] = (byte) 0xFF;
        System.arraycopy(ipv4, 0, address, 12, 4);
        return address;
    }

    @Test
    void refusesWhatIsNotALiteral() {
        for (String text : List.of("", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4",
                "1..2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1", "1:", "12345::", "fe80::1%eth0", "[::1]", "::g",
                "1.2.3.4:80", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1:2:3:4:5:6:7::8", "-1.2.3.4")) {
            assertNull(IpAddress.parse(text), text);
        }
    }

    @Test
    void rangesMatchByPrefixAndMappedAddressesAsIpv4() {
        AddressRanges ranges = AddressRanges.parse(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/33", "::1"));
        assertTrue(ranges.contains(IpAddress.parse("10.255.0.1")));
        assertTrue(ranges.contains(IpAddress.parse("::ffff:10.1.2.3")));
        assertTrue(ranges.contains(IpAddress.parse("192.0.2.7")));
        assertFalse(ranges.contains(IpAddress.parse("192.0.2.8")));
        assertFalse(ranges.contains(IpAddress.parse("11.0.0.1")));
        assertTrue(ranges.contains(IpAddress.parse("2001:db8:7fff::1")));
        assertFalse(ranges.contains(IpAddress.parse("2001:db8:8000::1")));
        assertTrue(ranges.contains(IpAddress.parse("::1")));
        assertFalse(ranges.contains(IpAddress.parse("::2")));
        assertTrue(AddressRanges.parse(List.of("0.0.0.0/0")).contains(IpAddress.parse("203.0.113.9")));
        assertFalse(AddressRanges.NONE.contains(IpAddress.parse("127.0.0.1")));
    }

    @Test
    void refusesBadRanges() {
        for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "example.com", "10.0.0.0/8/8",
                "10.0.0.0/0x8")) {
            assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of(bad)), bad);
        }
    }
}
