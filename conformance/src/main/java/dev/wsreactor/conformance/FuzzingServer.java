package dev.wsreactor.conformance;

import dev.wsreactor.protocol.ConnectionConfig;
import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.HttpHeadParser;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.HttpStatus;
import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client mode: a server that runs the cases against whatever client connects, speaking the protocol of
 * Autobahn's {@code fuzzingserver}, so that its client drivers work unchanged. {@code /getCaseCount} answers the
 * number of cases in a text message; {@code /runCase?case=N&agent=A} runs case N (from 1) with the harness as the
 * server (the client is to echo every message); {@code /updateReports?agent=A} writes A's reports. One connection
 * at a time, in order, as Autobahn serves them.
 */
final class FuzzingServer implements AutoCloseable {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket listener;
    private final List<ConformanceCase> cases;
    private final Path out;
    private final Consumer<String> progress;
    /** Each agent's results by case id, in the order the cases ran. */
    private final Map<String, Map<String, CaseResult>> results = new HashMap<>();

    FuzzingServer(int port, List<ConformanceCase> cases, Path out, Consumer<String> progress) throws IOException {
        this.listener = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
        this.cases = List.copyOf(cases);
        this.out = out;
        this.progress = progress;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Serves connections until {@link #close()}. */
    void serve() {
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                serveOne(socket);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    progress.accept("connection failed: " + e.getMessage());
                }
            }
        }
    }

    /** Starts {@link #serve()} on a daemon thread. */
    FuzzingServer start() {
        Thread thread = new Thread(this::serve, "fuzzing-server");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** An agent's results so far, in the order the cases ran. */
    synchronized List<CaseResult> results(String agent) {
        return new ArrayList<>(results.getOrDefault(agent, Map.of()).values());
    }

    int caseCount() {
        return cases.size();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void serveOne(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
        byte[] head = readHead(socket.getInputStream());
        HttpHeadParser parser = new HttpHeadParser(ServerHandshakeConfig.DEFAULT_MAX_HEAD_BYTES);
        parser.feed(ByteBuffer.wrap(head));
        HttpRequest request = parser.status() == HttpHeadParser.Status.COMPLETE ? parser.request() : null;
        Map<String, String> query = request == null ? Map.of() : query(request.query());
        String path = request == null ? "" : request.path();
        String agent = query.getOrDefault("agent", "unknown");
        ConformanceCase testCase = path.equals("/runCase") ? caseAt(query.get("case")) : null;
        if (!List.of("/getCaseCount", "/updateReports").contains(path) && testCase == null) {
            write(socket, HttpResponse.text(HttpStatus.NOT_FOUND, "no such case or command: " + path).encode());
            return;
        }
        boolean compression = testCase != null && testCase.extensionOffer() != null;
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.builder().extensions(compression
                ? offers -> ClientCaseDeflate.accept(testCase.id(), offers) : ServerHandshakeConfig.NO_EXTENSIONS)
                .build());
        ByteBuffer input = ByteBuffer.wrap(head);
        ServerHandshake.Outcome outcome = handshake.feed(input);
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            write(socket, rejected.response());
            return;
        }
        if (!(outcome instanceof ServerHandshake.Accepted accepted)) {
            write(socket, HttpResponse.upgradeRequired().encode());
            return;
        }
        WireLog log = new WireLog();
        long start = System.nanoTime();
        write(socket, accepted.response());
        PerMessageDeflate.Agreement deflate = null;
        for (ExtensionOffer extension : accepted.acceptedExtensions()) {
            if (extension.name().equals(PerMessageDeflate.NAME)) {
                deflate = PerMessageDeflate.Agreement.fromResponse(extension);
            }
        }
        if (compression) { // what was offered and agreed, for the case's report
            log.note("RX extensions offered: " + accepted.extensionOffers().stream()
                    .map(ExtensionOffer::toHeaderValue).toList());
            log.note("TX 101 Switching Protocols; extensions: " + (deflate == null ? "none"
                    : deflate.response().toHeaderValue()));
        }
        WireClient connection = WireClient.accepted(socket, log, deflate, input);
        if (testCase != null) {
            CaseResult result = Harness.play(connection, log, testCase, start);
            record(agent, result);
            progress.accept(String.format("%-24s %-8s %-13s %6d ms", agent, testCase.id(), result.verdict().label(),
                    result.durationMillis()));
        } else if (path.equals("/getCaseCount")) {
            sayAndClose(connection, log, Integer.toString(cases.size()));
        } else {
            new ReportWriter(out, agent).write(results(agent));
            sayAndClose(connection, log, null);
        }
    }

    private synchronized void record(String agent, CaseResult result) {
        results.computeIfAbsent(agent, a -> new LinkedHashMap<>()).put(result.testCase().id(), result);
    }

    private ConformanceCase caseAt(String number) {
        try {
            int index = Integer.parseInt(number);
            return index >= 1 && index <= cases.size() ? cases.get(index - 1) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A command's answer: an optional text message, then the closing handshake, then TCP closed. */
    private static void sayAndClose(WireClient connection, WireLog log, String text) throws IOException {
        try (connection) {
            ServerEvents events = new ServerEvents(connection, log);
            if (text != null) {
                connection.write(CaseContext.frame(Opcode.TEXT, true, CaseContext.utf8(text)), CaseContext.ONE_CHOP);
            }
            events.closeSent(false);
            connection.write(CaseContext.frame(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8}),
                    CaseContext.ONE_CHOP);
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (!connection.isTcpClosed() && deadline - System.nanoTime() > 0) {
                WireClient.Event event = connection.next(Duration.ofNanos(deadline - System.nanoTime()));
                if (event != null) {
                    events.take(event); // closes TCP once the client's Close came back
                }
            }
            events.end();
        }
    }

    private static Map<String, String> query(String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of CR LF CR LF
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static void write(Socket socket, ByteBuffer bytes) throws IOException {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        socket.getOutputStream().write(array);
        socket.getOutputStream().flush();
    }
}
