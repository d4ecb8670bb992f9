package dev.wsreactor.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * IP literals read back as the bytes they were written from, in every way RFC 4291 §2.2 and RFC 5952 allow to write
 * them, and a literal with one character changed is either another address or none, never an exception.
 */
class IpAddressProperties {

    @Provide
    Arbitrary<byte[]> ipv6() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofSize(16);
        Arbitrary<byte[]> sparse = Arbitraries.integers().between(0, 255).list().ofSize(16)
                .map(values -> {
                    byte[] address = new byte[16];
                    for (int i = 0; i < 16; i++) {
                        address[i] = (byte) (values.get(i) < 160 ? 0 : values.get(i)); // runs of zeros to compress
                    }
                    return address;
                });
        return Arbitraries.oneOf(random, sparse);
    }

    @Property
    void ipv4ReadsBack(@ForAll @Size(4) byte[] address) throws Exception {
        String text = InetAddress.getByAddress(address).getHostAddress();
        assertArrayEquals(address, IpAddress.parse(text));
    }

    @Property
    void ipv6ReadsBackInEveryForm(@ForAll("ipv6") byte[] address) {
        for (String text : forms(address)) {
            assertArrayEquals(address, IpAddress.parse(text), text);
        }
    }

    @Property
    void aChangedCharacterNeverThrows(@ForAll("ipv6") byte[] address, @ForAll int position, @ForAll char c) {
        for (String text : forms(address)) {
            StringBuilder changed = new StringBuilder(text);
            changed.setCharAt(Math.floorMod(position, text.length()), c);
            byte[] parsed = IpAddress.parse(changed);
            if (parsed != null) {
                assertArrayEquals(parsed, IpAddress.parse(changed.toString()), "the same however it is read");
            }
        }
        assertNull(IpAddress.parse(forms(address).get(0) + ":"));
    }

    /** Full with leading zeros, full without, the longest zero run as "::", and the last 32 bits as a dotted quad. */
    private static List<String> forms(byte[] address) {
        String[] groups = new String[8];
        String[] padded = new String[8];
        for (int i = 0; i < 8; i++) {
            int value = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
            groups[i] = Integer.toHexString(value);
            padded[i] = String.format("%04X", value);
        }
        List<String> forms = new ArrayList<>();
        forms.add(String.join(":", groups));
        forms.add(String.join(":", padded));
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestLength > 0) {
            String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
            String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
            forms.add(left + "::" + right);
        }
        String quad = (address[12] & 0xFF) + "." + (address[13] & 0xFF) + "." + (address[14] & 0xFF) + "."
                + (address[15] & 0xFF);
        forms.add(String.join(":", java.util.Arrays.copyOfRange(groups, 0, 6)) + ":" + quad);
        return forms;
    }
}
