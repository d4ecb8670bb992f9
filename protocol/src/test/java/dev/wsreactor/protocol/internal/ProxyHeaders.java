package dev.wsreactor.protocol.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** PROXY protocol headers as a proxy writes them, for the tests. */
final class ProxyHeaders {

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {
    }

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 header: version 2 with {@code command}, {@code familyTransport}, then the body (addresses, TLVs). */
    static byte[] v2(int command, int familyTransport, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(0x20 | command);
        out.write(familyTransport);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A PROXY command over TCP from {@code source}:{@code sourcePort} to {@code destination}:443, then TLVs. */
    static byte[] v2Tcp(byte[] source, int sourcePort, byte[] destination, byte[] tlvs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(source);
        body.writeBytes(destination);
        body.write(sourcePort >> 8);
        body.write(sourcePort);
        body.write(443 >> 8);
        body.write(443 & 0xFF);
        body.writeBytes(tlvs);
        return v2(1, (source.length == 4 ? 0x10 : 0x20) | 1, body.toByteArray());
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
