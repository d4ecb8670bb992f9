package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.Opcode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PROXY header in front of TLS: read before the TLS handshake, whether it arrives alone or with the ClientHello. */
class ProxyProtocolTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static SSLContext clientContext;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
        clientContext = certs.trustingClient();
    }

    /** A socket whose first write carries the PROXY header too: header and ClientHello reach the server as one. */
    private static final class PrefixedSocket extends Socket {

        private final byte[] prefix;
        private OutputStream prefixed;

        PrefixedSocket(int port, byte[] prefix) throws IOException {
            this.prefix = prefix;
            connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            setTcpNoDelay(true);
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (prefixed == null) {
                OutputStream raw = super.getOutputStream();
                prefixed = new OutputStream() {
                    private boolean first = true;

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        if (first) {
                            first = false;
                            byte[] both = new byte[prefix.length + length];
                            System.arraycopy(prefix, 0, both, 0, prefix.length);
                            System.arraycopy(bytes, offset, both, prefix.length, length);
                            raw.write(both);
                        } else {
                            raw.write(bytes, offset, length);
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        raw.flush();
                    }
                };
            }
            return prefixed;
        }
    }

    private static void echoesOverTls(Socket plain, RecordingHandler handler, InetSocketAddress client)
            throws Exception {
        SSLSocket tls = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(),
                true);
        try (RawClient raw = RawClient.open(tls)) {
            Session session = RecordingHandler.await(handler.opened);
            assertEquals(client, session.clientAddress());
            assertEquals("wss", session.clientScheme());
            raw.writeFrame(Opcode.TEXT, true, "sealed".getBytes(StandardCharsets.UTF_8));
            assertEquals("sealed", raw.readFrame().text());
        }
    }

    @Test
    void headerWithTheClientHelloInOneSegment() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("203.0.113.50"), 5000);
        try (WebSocketServer server = ProxyProtocolIntegrationTest.server(handler)
                .tls(certs.server(certs.serverEc)).build().start()) {
            echoesOverTls(new PrefixedSocket(server.port(), ProxyProtocolIntegrationTest.v2(client, new byte[0])),
                    handler, client);
        }
    }

    @Test
    void headerAloneThenTls() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("2001:db8::77"), 6000);
        try (WebSocketServer server = ProxyProtocolIntegrationTest.server(handler)
                .tls(certs.server(certs.serverEc)).build().start()) {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            OutputStream out = plain.getOutputStream();
            out.write(ProxyProtocolIntegrationTest.v1("PROXY TCP6 2001:db8::77 ::1 6000 443"));
            out.flush();
            echoesOverTls(plain, handler, client);
            assertTrue(server.stats().get(Counter.PROXY_HEADER_FAILURES) == 0);
        }
    }
}
