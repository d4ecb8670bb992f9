package dev.wsreactor.reactor;

import static dev.wsreactor.reactor.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wsreactor.protocol.CloseCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our client against a server nobody here wrote: python-websockets (Debian's {@code python3-websockets}, which
 * {@code make test} installs), its {@code websockets.serve} echo, and a path where it refuses the handshake.
 * Skipped where the package is missing.
 */
class PythonWebSocketsTest {

    private static final String SERVER = """
            import asyncio, http, websockets
            async def echo(ws, path=None):
                async for message in ws:
                    await ws.send(message)
            async def check(path, headers):
                if path.startswith("/private") and headers.get("Authorization") != "Bearer t0ken":
                    return http.HTTPStatus.FORBIDDEN, [], b"no token\\n"
                return None
            async def main():
                async with websockets.serve(echo, "127.0.0.1", 0, process_request=check, max_size=2**25) as server:
                    print(server.sockets[0].getsockname()[1], flush=True)
                    await asyncio.Future()
            asyncio.run(main())
            """;

    private static Process python;
    private static int port;
    private static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        String interpreter = pythonWithWebSockets();
        assumeTrue(interpreter != null, "no python3 with the websockets package (Debian: python3-websockets)");
        Path script = Files.createTempFile("echo", ".py");
        Files.writeString(script, SERVER);
        python = new ProcessBuilder(interpreter, script.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        port = Integer.parseInt(out.readLine().trim()); // blocks until the server listens
        client = WebSocketClient.builder().maxMessageSize(32L << 20).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (python != null) {
            python.destroy();
        }
    }

    /** The python3 on the PATH, or Debian's own (where another python3 comes first), that has the package. */
    private static String pythonWithWebSockets() throws InterruptedException {
        for (String interpreter : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                if (new ProcessBuilder(interpreter, "-c", "import websockets").start().waitFor() == 0) {
                    return interpreter;
                }
            } catch (IOException missing) {
                // Not installed there: try the next.
            }
        }
        return null;
    }

    @Test
    void itsEchoSendsEveryMessageBackAndClosesCleanly() throws Exception {
        ClientRecorder recorder = new ClientRecorder();
        Session session = client.connect(URI.create("ws://127.0.0.1:" + port + "/echo"), recorder)
                .get(10, TimeUnit.SECONDS);
        session.sendText("grüße");
        assertEquals("grüße", await(recorder.texts));
        String compressible = "{\"seat\":\"C7\",\"state\":\"held\"},".repeat(20_000); // through deflate, both ways
        session.sendText(compressible);
        assertEquals(compressible, await(recorder.texts));
        byte[] random = new byte[1 << 20];
        new Random(5).nextBytes(random);
        session.sendBinary(random);
        assertArrayEquals(random, await(recorder.binaries));
        session.close(CloseCode.NORMAL_CLOSURE, "bye");
        RecordingHandler.Closed closed = await(recorder.closed);
        assertEquals(CloseCode.NORMAL_CLOSURE, closed.code());
    }

    @Test
    void itsRefusalFailsTheFutureWithItsStatus() {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> client.connect(
                URI.create("ws://127.0.0.1:" + port + "/private"), new ClientRecorder()).get(10, TimeUnit.SECONDS));
        assertEquals(403, assertInstanceOf(HandshakeFailedException.class, failed.getCause()).status());
    }

    @Test
    void theTokenHeaderGetsThrough() throws Exception {
        ClientRecorder recorder = new ClientRecorder();
        Session session = client.connect(URI.create("ws://127.0.0.1:" + port + "/private"),
                java.util.Map.of("Authorization", "Bearer t0ken"), recorder).get(10, TimeUnit.SECONDS);
        session.sendText("in");
        assertEquals("in", await(recorder.texts));
    }
}
