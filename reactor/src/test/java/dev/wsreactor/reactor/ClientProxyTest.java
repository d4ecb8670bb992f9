package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our client through an HTTP CONNECT proxy (a small one in the test that relays bytes): ws://, wss://, refusal. */
class ClientProxyTest {

    @TempDir
    Path dir;

    /** A CONNECT proxy: reads the request head, answers with {@code reply} and, for a 200, relays both ways. */
    private static final class ConnectProxy implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        private final String reply;

        ConnectProxy(String reply) throws IOException {
            this.reply = reply;
            Thread acceptor = new Thread(this::serve, "connect-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        private void serve() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    String head = readHead(client.getInputStream());
                    requests.add(head);
                    client.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    if (!reply.startsWith("HTTP/1.1 200")) {
                        client.close();
                        continue;
                    }
                    String[] authority = head.split(" ")[1].split(":");
                    Socket server = new Socket(authority[0], Integer.parseInt(authority[1]));
                    relay(client, server);
                    relay(server, client);
                } catch (IOException e) {
                    // closed, or one connection failed: the test sees it on the client's side
                }
            }
        }

        private static void relay(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        to.shutdownOutput();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }, "connect-proxy-relay");
            thread.setDaemon(true);
            thread.start();
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client closed before its request head ended");
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    @Test
    void wsGoesThroughTheTunnelWithTheProxyAuthorization() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0)
                        .handler(new RecordingHandler()).daemon(true).build().start();
                ConnectProxy proxy = new ConnectProxy("HTTP/1.1 200 Connection established\r\n\r\n");
                WebSocketClient client = WebSocketClient.builder()
                        .proxy(proxy.address(), "Basic dXNlcjpwdw==").build()) {
            ClientRecorder recorder = new ClientRecorder();
            Session session = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/x"), recorder)
                    .get(10, TimeUnit.SECONDS);
            String request = await(proxy.requests);
            assertEquals("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nProxy-Authorization: Basic dXNlcjpwdw==\r\n\r\n", request);
            session.sendText("through the tunnel");
            assertEquals("through the tunnel", await(recorder.texts));
            session.close();
            assertEquals(1000, await(recorder.closed).code().value());
        }
    }

    @Test
    void wssRunsTlsWithTheServerThroughTheTunnel() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0)
                        .handler(new RecordingHandler()).daemon(true).tls(certs.server(certs.serverEc)).build()
                        .start();
                ConnectProxy proxy = new ConnectProxy("HTTP/1.1 200 OK\r\nVia: test\r\n\r\n");
                WebSocketClient client = WebSocketClient.builder().tls(certs.trustingClient())
                        .proxy(proxy.address()).build()) {
            ClientRecorder recorder = new ClientRecorder();
            Session session = client.connect(URI.create("wss://localhost:" + server.port() + "/"), recorder)
                    .get(10, TimeUnit.SECONDS);
            assertTrue(await(proxy.requests).startsWith("CONNECT localhost:" + server.port() + " HTTP/1.1\r\n"),
                    "the proxy resolves the name; TLS checks the certificate against it");
            assertEquals("TLSv1.3", session.tlsSession().getProtocol());
            session.sendText("secret");
            assertEquals("secret", await(recorder.texts));
        }
    }

    @Test
    void aProxyThatRefusesFailsTheConnectionWithItsStatus() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy(
                        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
                WebSocketClient client = WebSocketClient.builder().proxy(proxy.address()).build()) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> client
                    .connect(URI.create("ws://example.invalid:80/"), new ClientRecorder()).get(10, TimeUnit.SECONDS));
            HandshakeFailedException refused = assertInstanceOf(HandshakeFailedException.class, failed.getCause());
            assertEquals(407, refused.status());
            assertTrue(refused.getMessage().contains("407 Proxy Authentication Required"), refused.getMessage());
            assertTrue(await(proxy.requests).startsWith("CONNECT example.invalid:80 HTTP/1.1\r\n"));
        }
    }
}
