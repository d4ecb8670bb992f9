package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small raw-socket servers, one for each way a handshake answer can be wrong (§4.1): each must fail the client's
 * future with a {@link HandshakeFailedException} naming the rule, and never open a session.
 */
class ClientHandshakeFailureTest {

    static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key: *(\\S+)");
    private static final WebSocketClient CLIENT = WebSocketClient.builder().subprotocols("chat")
            .handshakeTimeout(Duration.ofMillis(500)).build();

    @AfterAll
    static void close() {
        CLIENT.close();
    }

    static String accept(String key) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WebSocketAccept.compute(key) + "\r\n";
    }

    static Stream<Arguments> wrongAnswers() {
        return Stream.of(
                Arguments.of("a redirect is not followed", 302, "instead of 101",
                        (UnaryOperator<String>) key -> "HTTP/1.1 302 Found\r\nLocation: ws://elsewhere/\r\n\r\n"),
                Arguments.of("a 200 is not an upgrade", 200, "instead of 101",
                        (UnaryOperator<String>) key -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("no Upgrade header", 101, "Upgrade header",
                        (UnaryOperator<String>) key -> accept(key).replace("Upgrade: websocket\r\n", "") + "\r\n"),
                Arguments.of("no Connection header", 101, "Connection header",
                        (UnaryOperator<String>) key -> accept(key).replace("Connection: Upgrade\r\n", "") + "\r\n"),
                Arguments.of("the accept of another key", 101, "Sec-WebSocket-Accept",
                        (UnaryOperator<String>) key -> accept("dGhlIHNhbXBsZSBub25jZQ==") + "\r\n"),
                Arguments.of("no accept at all", 101, "Sec-WebSocket-Accept",
                        (UnaryOperator<String>) key -> accept(key).replaceAll("Sec-WebSocket-Accept.*\r\n", "")
                                + "\r\n"),
                Arguments.of("a subprotocol we did not offer", 101, "subprotocol we did not offer",
                        (UnaryOperator<String>) key -> accept(key) + "Sec-WebSocket-Protocol: mqtt\r\n\r\n"),
                Arguments.of("an extension we did not offer", 101, "extension we did not offer",
                        (UnaryOperator<String>) key -> accept(key) + "Sec-WebSocket-Extensions: x-foo\r\n\r\n"),
                Arguments.of("not HTTP at all", 0, "",
                        (UnaryOperator<String>) key -> "SSH-2.0-OpenSSH_9.6\r\n\r\n"),
                Arguments.of("the connection closes mid-answer", 0, "closed before",
                        (UnaryOperator<String>) key -> "HTTP/1.1 101 Switching"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongAnswers")
    void aWrongAnswerFailsTheFutureNamingTheRule(String what, int status, String rule, UnaryOperator<String> answer)
            throws Exception {
        HandshakeFailedException failure = failureAgainst(answer, true);
        assertEquals(status, failure.status(), failure.getMessage());
        assertTrue(failure.getMessage().contains("§4.1") && failure.getMessage().contains(rule), failure.getMessage());
    }

    @Test
    void aServerThatNeverAnswersTimesTheHandshakeOut() throws Exception {
        HandshakeFailedException failure = failureAgainst(key -> "", false);
        assertTrue(failure.getMessage().contains("timed out with no response"), failure.getMessage());
    }

    @Test
    void aRefusalFromAServerThatHoldsTheConnectionStillFailsAtOnce() throws Exception {
        long start = System.nanoTime();
        HandshakeFailedException failure = failureAgainst(
                key -> "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nno token\n", false);
        assertEquals(403, failure.status());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "not after a timeout");
    }

    /** Serves one connection: reads the request, writes the answer, closes (or holds) the socket. */
    private static HandshakeFailedException failureAgainst(UnaryOperator<String> answer, boolean closeAfter)
            throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> serveOnce(listener, answer, closeAfter), "fake-server");
            fake.setDaemon(true);
            fake.start();
            URI uri = URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/");
            ClientRecorder recorder = new ClientRecorder();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> CLIENT.connect(uri, recorder).get(10, TimeUnit.SECONDS));
            assertTrue(recorder.closed.isEmpty(), "a session that never opened is never closed");
            return assertInstanceOf(HandshakeFailedException.class, failed.getCause());
        }
    }

    private static void serveOnce(ServerSocket listener, UnaryOperator<String> answer, boolean closeAfter) {
        try (Socket socket = listener.accept()) {
            String request = readHead(socket.getInputStream());
            Matcher key = KEY.matcher(request);
            socket.getOutputStream().write(answer.apply(key.find() ? key.group(1) : "")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            if (!closeAfter) {
                socket.getInputStream().read(); // until the client gives up and closes
            }
        } catch (IOException ignored) {
            // The client closed first: what it made of the answer is the test's to check.
        }
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
