package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Opcode;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@link TlsKeyUpdateTest}'s client, in a JVM of its own whose {@code jdk.tls.keyLimits} makes its engine send a
 * TLS 1.3 KeyUpdate every few KiB: sends {@code count} binary messages of {@code size} bytes, which the server
 * keeps, reads for a second (the server's KeyUpdates, no data), prints "waited", then sends one text message and
 * reads its echo. Prints "echoed" and exits 0 when that came back intact.
 *
 * <pre>java ... KeyUpdatingClient PORT COUNT SIZE</pre>
 */
final class KeyUpdatingClient {

    private KeyUpdatingClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[] {new TrustingAnyone()}, null); // the key schedule is tested, not trust
        Socket tcp = new Socket("127.0.0.1", port);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", port, true);
        tls.setEnabledProtocols(new String[] {"TLSv1.3"});
        tls.setSoTimeout(20_000);
        try (RawClient client = RawClient.open(tls)) {
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[size];
                Arrays.fill(payload, (byte) i);
                client.writeFrame(Opcode.BINARY, true, payload);
            }
            tls.setSoTimeout(1_000);
            try {
                client.input().read(); // nothing is sent back: this only takes in the server's KeyUpdates
                throw new AssertionError("data came back for messages that are not echoed");
            } catch (SocketTimeoutException expected) {
                System.out.println("waited");
            }
            tls.setSoTimeout(20_000);
            byte[] last = "done".getBytes(StandardCharsets.US_ASCII);
            client.writeFrame(Opcode.TEXT, true, last);
            RawClient.Frame echo = client.readFrame();
            if (echo.opcode() != Opcode.TEXT.code() || !Arrays.equals(last, echo.payload())) {
                throw new AssertionError("the text message came back different");
            }
        }
        System.out.println("echoed");
    }

    /** Accepts any server certificate: this client checks the key updates, not the certificate. */
    private static final class TrustingAnyone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
