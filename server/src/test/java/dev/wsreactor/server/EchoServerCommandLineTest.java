package dev.wsreactor.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.reactor.Counter;
import dev.wsreactor.reactor.WebSocketServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The echo server as {@code make run} starts it: what a plain HTTP client (curl) sees, and its stats page. */
class EchoServerCommandLineTest {

    @Test
    void aPlainRequestGets426SayingWhatToSendInstead() throws Exception {
        try (ServerProcess server = ServerProcess.echo(); Socket curl = new Socket("127.0.0.1", server.port())) {
            OutputStream out = curl.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            curl.setSoTimeout(10_000);
            String response = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response);
            // RFC 9110 §15.5.22: a 426 names the protocol to upgrade to; RFC 6455 §4.4 the version we speak.
            assertTrue(response.contains("\r\nUpgrade: websocket\r\n"), response);
            assertTrue(response.contains("\r\nSec-WebSocket-Version: 13\r\n"), response);
            assertTrue(response.contains("connect with a WebSocket client to ws://"), response);
        }
    }

    @Test
    void itsStatsPageHasEveryCounter() throws Exception {
        try (ServerProcess server = ServerProcess.echo()) {
            Map<String, Long> stats = stats(server.port());
            for (Counter counter : Counter.values()) {
                assertTrue(stats.containsKey(counter.attributeName()), counter + " in " + stats);
            }
            assertEquals(1, stats.get("ConnectionsHandshaking"), "the stats request itself, as it is answered");
        }
    }

    @Test
    void itEchoesAndOnSigtermClosesItsSessionsWith1001() throws Exception {
        try (ServerProcess server = ServerProcess.echo("--max-connections", "10", "--close-timeout", "2.5")) {
            CompletableFuture<String> echo = new CompletableFuture<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echo.complete(data.toString());
                            webSocket.request(1); // and the Close after it
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText("grüße", true);
            assertEquals("grüße", echo.get(10, TimeUnit.SECONDS));
            server.process.destroy(); // SIGTERM: the shutdown hook's graceful stop
            assertEquals(1001, closed.get(20, TimeUnit.SECONDS), "Going Away, before the process ended");
            assertEquals(143, server.exitStatus(), "the JVM's status after SIGTERM: 128 + 15");
        }
    }

    @Test
    void pingIntervalSetsKeepaliveAndIdleTimeoutStaysItsAlias() throws Exception {
        for (String flag : new String[] {"--ping-interval", "--idle-timeout"}) {
            try (ServerProcess server = ServerProcess.echo(flag, "1");
                    java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                java.io.InputStream in = socket.getInputStream();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
                assertEquals(0x89, in.read(), flag + ": a silent client is pinged after a second (FIN, Ping)");
            }
        }
    }

    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void anUnknownOptionExitsWith2() throws Exception {
        ServerProcess bad = ServerProcess.start(EchoServer.class, "--no-such");
        assertEquals(EchoServer.EXIT_USAGE, bad.exitStatus(), bad.lines.toString());
        assertTrue(bad.output().contains("unknown option: --no-such"), bad.lines.toString());
    }

    @Test
    void aNumberTooLargeForItsFlagIsAUsageErrorNotACrash() {
        CommandLine.UsageException tooLarge = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.UsageException.class, () -> CommandLine.parse("--reactors", "99999999999"));
        assertEquals("--reactors: too large: 99999999999", tooLarge.getMessage());
    }

    @Test
    void aBadValueExitsWith2NamingTheFlag() throws Exception {
        ServerProcess bad = ServerProcess.start(EchoServer.class, "--handshake-timeout", "soon");
        assertEquals(EchoServer.EXIT_USAGE, bad.exitStatus(), bad.lines.toString());
        assertTrue(bad.output().contains("--handshake-timeout: not a number of seconds: soon"), bad.lines.toString());
    }

    @Test
    void limitsThatCannotHoldOrAKeystoreThatCannotBeReadExitWith2SayingWhy() throws Exception {
        ServerProcess limits = ServerProcess.start(EchoServer.class, "--port", "0", "--max-connections", "0");
        assertEquals(EchoServer.EXIT_USAGE, limits.exitStatus(), limits.lines.toString());
        assertTrue(limits.output().contains("echo server: maxConnections, maxHandshaking and maxQueuedBytesTotal must"
                + " be positive"), limits.lines.toString());
        ServerProcess keystore = ServerProcess.start(EchoServer.class, "--tls-keystore", "no-such.p12",
                "--tls-password", "x");
        assertEquals(EchoServer.EXIT_USAGE, keystore.exitStatus(), keystore.lines.toString());
        assertTrue(keystore.output().contains("echo server: cannot read no-such.p12"),
                keystore.lines.toString());
        ServerProcess namesOnly = ServerProcess.start(EchoServer.class, "--tls-cert-for",
                "chat.example.org=fullchain.pem,privkey.pem");
        assertEquals(EchoServer.EXIT_USAGE, namesOnly.exitStatus(), namesOnly.lines.toString());
        assertTrue(namesOnly.output().contains("echo server: --tls-cert-for needs a default certificate"),
                namesOnly.lines.toString());
    }

    @Test
    void certificatesByNameAreRepeatableFlagsOfOneNameAndTwoFiles() throws Exception {
        CommandLine.Settings settings = CommandLine.parse("--tls-cert-for", "a.example.org=a.pem,a.key",
                "--tls-cert-for", "*.example.net=n.pem,n.key", "--tls-reload", "0.5");
        assertEquals(List.of("a.example.org", "*.example.net"), List.copyOf(settings.certificatesByName.keySet()));
        assertEquals(Path.of("n.key"), settings.certificatesByName.get("*.example.net")[1]);
        assertEquals(java.time.Duration.ofMillis(500), settings.tlsReload);
        CommandLine.UsageException bad = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.UsageException.class, () -> CommandLine.parse("--tls-cert-for", "a.example.org=a.pem"));
        assertEquals("--tls-cert-for: takes NAME=FULLCHAIN.pem,PRIVKEY.pem, got a.example.org=a.pem",
                bad.getMessage());
    }

    @Test
    void helpListsEveryFlagWithTheLibrarysDefaults() throws Exception {
        ServerProcess help = ServerProcess.start(EchoServer.class, "--help");
        assertEquals(0, help.exitStatus());
        String text = help.output();
        WebSocketServer.Builder library = WebSocketServer.builder();
        ConnectionConfig connection = ConnectionConfig.defaults();
        long[] queue = library.writeQueueLimits();
        Map<String, String> defaults = Map.of(
                "--max-connections N", "" + library.maxConnections(),
                "--max-handshaking N", library.maxHandshaking() + " here",
                "--handshake-timeout SECONDS", CommandLine.seconds(connection.handshakeTimeout()),
                "--close-timeout SECONDS", CommandLine.seconds(connection.closeTimeout()),
                "--ping-interval SECONDS", CommandLine.seconds(connection.pingInterval()),
                "--close-when-idle SECONDS", CommandLine.seconds(connection.closeWhenIdle()),
                "--write-queue-limits LOW,HIGH,HARD", queue[0] + "," + queue[1] + "," + queue[2],
                "--slow-consumer-timeout SECONDS", CommandLine.seconds(library.slowConsumerTimeout()),
                "--max-queued-bytes-total BYTES", "" + library.maxQueuedBytesTotal());
        // One entry a flag: its line, and the next when the default did not fit on it.
        List<String> entries = List.of(text.replaceAll("\n {6,}", " ").split("\n"));
        defaults.forEach((flag, value) -> assertTrue(entries.stream().anyMatch(entry -> entry.startsWith("  " + flag
                + " ") && entry.contains("(default " + value)), flag + " with its default " + value + " in\n" + text));
        for (String flag : new String[] {"--host", "--port", "--max-message-size", "--compression", "--trace",
                "--reactors", "--accept", "--tls-keystore", "--tls-password", "--tls-cert", "--tls-key",
                "--tls-cert-for", "--tls-reload", "--idle-timeout",
                "--trusted-proxies", "--proxy-protocol", "--metrics", "--help"}) {
            assertTrue(text.contains("\n  " + flag + " "), flag + " in\n" + text);
        }
        assertEquals(27, entries.stream().filter(entry -> entry.startsWith("  --")).count(), "27 flags:\n" + text);
        assertTrue(text.lines().allMatch(line -> line.length() <= 100), "lines of at most 100 characters:\n" + text);
    }

    @Test
    void theReadmeShowsTheHelpAsItIs() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String begin = "<!-- echo-server-help:begin (the output of --help; a test keeps them the same) -->\n```\n";
        int start = readme.indexOf(begin) + begin.length();
        String shown = readme.substring(start, readme.indexOf("```\n<!-- echo-server-help:end -->", start));
        // The handshake cap's default comes from this machine's file limit.
        String here = "\\(default \\d+ here";
        assertEquals(CommandLine.help().replaceAll(here, "(default N here"), shown.replaceAll(here, "(default N here"),
                "README.md's block between echo-server-help:begin and :end is --help's output");
    }

    @Test
    void whenAThreadOfTheServerDiesItExits70SayingWhy() throws Exception {
        ServerProcess child = ServerProcess.start(ThreadDeathMain.class, "--port", "0");
        assertEquals(EchoServer.EXIT_THREAD_DIED, child.exitStatus(), child.lines.toString());
        assertTrue(child.output().contains("echo server listening on ws://"), "it was up: " + child.lines);
        assertTrue(child.output().contains("thread wsreactor-simulated ended abnormally"
                + " (java.lang.IllegalStateException: simulated: the loop gave up); exiting with status 70"),
                child.lines.toString());
    }

    /** The echo server's counters, from its {@code /stats} page. */
    private static Map<String, Long> stats(int port) throws IOException, InterruptedException {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/stats")).version(HttpClient.Version.HTTP_1_1).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        Map<String, Long> figures = new HashMap<>();
        for (String line : page.body().split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[1].matches("-?\\d+")) {
                figures.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return figures;
    }
}
