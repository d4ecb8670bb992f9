package dev.wsreactor.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wsreactor.bench.peers.NettyTlsEcho;
import dev.wsreactor.reactor.Tls;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import io.netty.channel.epoll.Epoll;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TlsBench's servers and load answer what they should, so its figures measure echoes and not failures. */
class TlsBenchPeersTest {

    @TempDir
    static Path dir;
    static Path keystore;
    static SSLContext client;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = SelfSignedCertificate.make(dir);
        client = SelfSignedCertificate.trusting(keystore);
    }

    @Test
    void tunedNettyEchoesOverTlsOnTheJdkEngineAndOverPlainTcp() throws Exception {
        assumeTrue(Epoll.isAvailable(), "the tuned peer needs Netty's native epoll transport (Linux)");
        char[] password = SelfSignedCertificate.PASSWORD.toCharArray();
        try (NettyTlsEcho wss = NettyTlsEcho.start(0, NettyTlsEcho.jdkContext(keystore, password), "test-netty-wss");
                NettyTlsEcho ws = NettyTlsEcho.start(0, null, "test-netty-ws")) {
            try (Socket socket = new BlockingClient(wss.port(), client, false).open()) {
                assertEquals("TLSv1.3", ((SSLSocket) socket).getSession().getProtocol());
                assertEchoes(socket);
            }
            try (Socket socket = new BlockingClient(ws.port(), null, false).open()) {
                assertEchoes(socket);
            }
        }
    }

    @Test
    void theEchoLoadCountsEchoesOnOurWssServerAndMeasuresItsReactorThread() throws Exception {
        SSLContext server = Tls.fromPkcs12(keystore, SelfSignedCertificate.PASSWORD.toCharArray());
        try (WebSocketServer tls = EchoServer.builder("127.0.0.1", 0).daemon(true).tls(server).build().start()) {
            EchoLoad.Target target = new EchoLoad.Target("wss", new BlockingClient(tls.port(), client, false),
                    "wsreactor-" + tls.port());
            ReactorWindow window = EchoLoad.run(target, 4, 2, 32, 0, 1);
            assertTrue(window.count() > 0, "no echoes counted");
            assertTrue(window.cpuNanos() > 0, "the reactor thread's CPU time was not found");
            assertTrue(window.processCpuNanos() >= window.cpuNanos(), "the process spent less than its thread");
            assertEquals(0, tls.stats().tlsFailures());
        }
    }

    /** Sends one masked 32-byte text message and expects it back unmasked, byte for byte. */
    private static void assertEchoes(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        BlockingClient.upgrade(out, in);
        out.write(BlockingClient.maskedText(32));
        out.flush();
        byte[] echo = new byte[2 + 32];
        in.readFully(echo);
        byte[] expected = new byte[2 + 32];
        expected[0] = (byte) 0x81; // FIN, text
        expected[1] = 32; // unmasked, 32 bytes
        Arrays.fill(expected, 2, expected.length, (byte) 'a');
        assertArrayEquals(expected, echo);
    }
}
