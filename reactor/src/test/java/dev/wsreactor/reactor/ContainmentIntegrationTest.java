package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Opcode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults of every kind, Errors as well as RuntimeExceptions, from the handler, from a transport (a TLS provider
 * that throws) and from inside the protocol (a message that cannot be encoded, a handshake check that throws):
 * only the connection concerned closes, with a 1011 Close (or a 500 before the handshake), and the loop goes on
 * serving another client on the same thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContainmentIntegrationTest {

    /** What is thrown; an OutOfMemoryError or StackOverflowError made here stands for the real one. */
    enum Fault {
        RUNTIME_EXCEPTION, ASSERTION_ERROR, OUT_OF_MEMORY_ERROR, STACK_OVERFLOW_ERROR;

        Throwable make() {
            return switch (this) {
                case RUNTIME_EXCEPTION -> new IllegalStateException("simulated fault");
                case ASSERTION_ERROR -> new AssertionError("simulated fault");
                case OUT_OF_MEMORY_ERROR -> new OutOfMemoryError("simulated fault");
                case STACK_OVERFLOW_ERROR -> new StackOverflowError("simulated fault");
            };
        }
    }

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    /** Throws the fault a message names ("handler:X"), or sends a text that cannot be encoded ("protocol:X"). */
    private static final class FaultyHandler extends RecordingHandler {
        @Override
        public void onText(Session session, String text) {
            String[] command = text.split(":");
            if (command[0].equals("handler")) {
                sneakyThrow(Fault.valueOf(command[1]).make());
            } else if (command[0].equals("protocol")) {
                Throwable fault = Fault.valueOf(command[1]).make();
                assertEquals(SendResult.CLOSED, session.sendText(new Unencodable(fault)),
                        "a send that failed inside is refused");
            } else {
                super.onText(session, text);
            }
        }
    }

    /** A message whose characters cannot be read: the protocol's encoder meets the fault. */
    private record Unencodable(Throwable fault) implements CharSequence {
        @Override
        public int length() {
            return sneakyThrow(fault);
        }

        @Override
        public char charAt(int index) {
            return (char) sneakyThrow(fault);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return this;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> int sneakyThrow(Throwable fault) throws T {
        throw (T) fault;
    }

    private static WebSocketServer plainServer() {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(new FaultyHandler()).daemon(true).build()
                .start();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aHandlerThatThrowsClosesItsSessionWith1011(Fault fault) throws Exception {
        closesOnlyItsConnectionWith1011("handler:" + fault, server -> {
            Eventually.until(() -> server.stats().handlerErrors() == 1, "the handler's fault is counted");
        });
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultInsideTheProtocolClosesItsConnectionWith1011(Fault fault) throws Exception {
        closesOnlyItsConnectionWith1011("protocol:" + fault, server -> {
            Eventually.until(() -> server.stats().get(Counter.INTERNAL_ERRORS) == 1, "the fault is counted");
            assertEquals(0, server.stats().handlerErrors(), "the handler did not throw");
        });
    }

    /** A message that makes {@link FaultyHandler} fail ends its own connection with 1011, not the bystander's. */
    private static void closesOnlyItsConnectionWith1011(String message, Consumer<WebSocketServer> counted)
            throws Exception {
        try (WebSocketServer server = plainServer(); JdkClient bystander = JdkClient.connect(server.port());
                RawClient client = RawClient.open(server.port())) {
            client.writeFrame(Opcode.TEXT, true, message.getBytes(StandardCharsets.UTF_8));
            assertClosedWith1011(client);
            assertStillServed(bystander);
            counted.accept(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aHandshakeCheckThatThrowsGets500(Fault fault) throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new FaultyHandler())
                .daemon(true).handshakeHook(request -> request.path().equals("/faulty") ? sneakyHook(fault) : null)
                .build().start(); JdkClient bystander = JdkClient.connect(server.port());
                RawClient client = new RawClient(server.port())) {
            client.write(RawClient.UPGRADE_REQUEST.replace("GET / ", "GET /faulty "));
            String response = client.readToEnd();
            assertTrue(response.startsWith("HTTP/1.1 500 "), response);
            assertStillServed(bystander);
        }
    }

    private static dev.wsreactor.protocol.handshake.HandshakeRejection sneakyHook(Fault fault) {
        sneakyThrow(fault.make());
        return null;
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aTransportThatThrowsWhileReadingClosesItsConnectionWith1011(Fault fault) throws Exception {
        transportFault(FaultyTls.Step.UNWRAP, fault);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aTransportThatThrowsWhileWritingClosesItsConnectionWith1011(Fault fault) throws Exception {
        transportFault(FaultyTls.Step.WRAP, fault);
    }

    private static void transportFault(FaultyTls.Step step, Fault fault) throws Exception {
        FaultyTls tls = new FaultyTls(certs.server(certs.serverEc));
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(new FaultyHandler())
                .daemon(true).tls(tls.context).build().start();
                JdkClient bystander = JdkClient.connectTls(JdkClient.httpClient(certs.trustingClient()),
                        server.port());
                RawClient client = RawClient.open(tlsSocket(server.port()))) {
            client.writeFrame(Opcode.TEXT, true, "before".getBytes(StandardCharsets.UTF_8));
            assertEquals("before", client.readFrame().text(), "the connection works until the fault");
            tls.arm(step, fault.make());
            client.writeFrame(Opcode.TEXT, true, "meets the fault".getBytes(StandardCharsets.UTF_8));
            if (step == FaultyTls.Step.WRAP) {
                // The echo's write failed before the engine took it: it is still queued, and goes before the Close.
                assertEquals("meets the fault", client.readFrame().text());
            }
            assertClosedWith1011(client);
            assertStillServed(bystander);
            Eventually.until(() -> server.stats().get(Counter.INTERNAL_ERRORS) == 1, "the fault is counted");
        }
    }

    private static SSLSocket tlsSocket(int port) throws Exception {
        SSLSocket socket = new ShapedSocket(port).tls(certs.trustingClient());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void assertClosedWith1011(RawClient client) throws Exception {
        RawClient.Frame frame = client.readFrame();
        assertEquals(Opcode.CLOSE.code(), frame.opcode(), "a Close frame, not a dropped connection");
        assertEquals(CloseCode.INTERNAL_ERROR.value(), frame.closeCode());
        client.writeFrame(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xF3});
        assertTrue(client.serverClosedTcp());
        client.close(); // the server, half-closed, releases the connection (and counts the fault) on our FIN
    }

    private static void assertStillServed(JdkClient bystander) throws Exception {
        bystander.send("the others are still served");
        assertEquals("the others are still served", bystander.nextText());
    }
}
