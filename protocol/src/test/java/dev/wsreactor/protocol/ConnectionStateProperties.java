package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.handshake.HandshakeDecision;
import dev.wsreactor.protocol.internal.FrameDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * A stateful property over the whole connection, from its first byte. The peer's bytes (its handshake, frames,
 * compressed messages, garbage) travel in arbitrary pieces; the application sends and closes; the clock runs; the
 * I/O layer reports faults and closes TCP. Whatever happens:
 *
 * <ul>
 *   <li>the server's first bytes are an HTTP response, frames follow only a 101, and nothing follows a refusal;</li>
 *   <li>every Ping that arrives while OPEN gets exactly one Pong, with its payload, in order (§5.5.2);</li>
 *   <li>at most one Close frame is sent and nothing after it (§5.5.1); a Close that answers the peer's echoes its
 *       code (1000 for a Close without one);</li>
 *   <li>CLOSED is never left, nothing is sent or delivered after it, and close is reported at most once;</li>
 *   <li>while the application's decision is pending nothing is sent or delivered, and a decision that comes when
 *       none is pending changes nothing.</li>
 * </ul>
 */
class ConnectionStateProperties {

    static final ConnectionConfig CONFIG = ConnectionConfig.builder()
            .maxMessageSize(1 << 20)
            .maxFramePayload(1000)
            .pingInterval(Duration.ofSeconds(10))
            .pongTimeout(Duration.ofSeconds(5))
            .closeWhenIdle(Duration.ofSeconds(15))
            .closeTimeout(Duration.ofSeconds(3))
            .deflate(DeflateConfig.defaults())
            .build();

    /** The connection under test, the bytes in flight to it, and what has been observed of it so far. */
    static final class Machine {
        final ServerFixture fixture = new ServerFixture(CONFIG);
        final ByteArrayOutputStream inFlight = new ByteArrayOutputStream();
        final MessageDeflater peerDeflater = new MessageDeflater(6);
        final List<Integer> peerCloseCodes = new ArrayList<>();
        boolean peerSentGarbage; // then a Close may be made of garbage, with a code no action chose
        boolean requestQueued;
        // What the server wrote: its HTTP response head, then (after a 101) frames.
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        String status; // the response's status line, once its head is complete
        long bodyLeft; // bytes of a refusal's body still to come
        FrameDecoder clientView;
        final List<String> sent = new ArrayList<>();
        int eventsAtClosed = -1;
        boolean wasClosed;

        Machine() {
            fixture.listener.echo = true;
            fixture.listener.digest = true;
        }

        Connection connection() {
            return fixture.connection;
        }

        /** Whether the server has answered the handshake (101 or a refusal). */
        boolean answered() {
            return status != null;
        }

        void peerQueues(byte[] bytes) {
            inFlight.writeBytes(bytes);
        }

        /** The network delivers the next {@code count} bytes in flight (all of them for a negative count). */
        void deliver(int count) {
            byte[] all = inFlight.toByteArray();
            int n = count < 0 ? all.length : Math.min(count, all.length);
            inFlight.reset();
            inFlight.write(all, n, all.length - n);
            fixture.receive(Arrays.copyOf(all, n));
            observe();
        }

        void observe() {
            byte[] out = connection().output().drain();
            int at = 0;
            while (status == null && at < out.length) {
                head.write(out[at++]);
                byte[] h = head.toByteArray();
                if (h.length >= 4 && new String(h, h.length - 4, 4, StandardCharsets.ISO_8859_1).equals("\r\n\r\n")) {
                    responseComplete(new String(h, StandardCharsets.ISO_8859_1));
                }
            }
            if (at < out.length && clientView == null) {
                assertTrue(status != null && out.length - at <= bodyLeft, "nothing follows a refusal: " + status);
                bodyLeft -= out.length - at;
            } else if (at < out.length) {
                RecordingFrameListener recorder = new RecordingFrameListener();
                assertNull(clientView.decode(ByteBuffer.wrap(out, at, out.length - at), recorder),
                        "the server's frames must be well-formed");
                for (String frame : recorder.events) {
                    if (frame.startsWith("CLOSE") && connection().state() == ConnectionState.CLOSING_BY_PEER) {
                        int peer = connection().closeCode().value();
                        assertTrue(peerSentGarbage || peerCloseCodes.contains(peer),
                                "the peer sent " + peerCloseCodes + ", not " + peer);
                        assertEquals(ServerFixture.closeFrame(peer == 1005 ? 1000 : peer), frame, "§5.5.1: the echo");
                    }
                }
                sent.addAll(recorder.events);
            }
            if (connection().state() == ConnectionState.CLOSED && !wasClosed) {
                wasClosed = true;
                eventsAtClosed = fixture.listener.events.size();
            }
        }

        private void responseComplete(String responseHead) {
            status = responseHead.substring(0, responseHead.indexOf("\r\n"));
            assertTrue(status.startsWith("HTTP/1.1 "), "the server speaks HTTP first: " + status);
            if (status.startsWith("HTTP/1.1 101 ")) {
                boolean deflate = responseHead.contains("Sec-WebSocket-Extensions: permessage-deflate");
                int rsv = deflate ? DeflateConfig.RSV1 : 0;
                clientView = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE, Long.MAX_VALUE, rsv);
                return;
            }
            int length = responseHead.indexOf("Content-Length: ");
            bodyLeft = length < 0 ? 0 : Long.parseLong(responseHead.substring(length + 16,
                    responseHead.indexOf("\r\n", length)));
        }

        void checkInvariants() {
            if (connection().state() == ConnectionState.AWAITING_DECISION) {
                assertFalse(answered(), "nothing is answered while the decision is pending");
                assertTrue(fixture.listener.events.isEmpty(), "nothing is delivered while it is pending");
            }
            if (wasClosed) {
                assertEquals(ConnectionState.CLOSED, connection().state(), "CLOSED is never left");
                assertEquals(eventsAtClosed, fixture.listener.events.size(), "nothing delivered after CLOSED");
                assertTrue(connection().output().isEmpty(), "nothing queued after CLOSED");
                assertFalse(connection().sendText("x"), "no sending after CLOSED");
            }
            if (clientView == null) {
                assertFalse(fixture.listener.events.contains("open"), "a connection opens only with a 101");
            }
            int closes = 0;
            List<String> pongs = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                if (sent.get(i).startsWith("CLOSE")) {
                    closes++;
                    assertEquals(sent.size() - 1, i, "§5.5.1: nothing is sent after our Close frame: " + sent);
                } else if (sent.get(i).startsWith("PONG ")) {
                    pongs.add(sent.get(i).substring(5));
                }
            }
            assertTrue(closes <= 1, "at most one Close frame: " + sent);
            assertEquals(fixture.listener.pingsWhileOpen, pongs, "§5.5.2: one Pong per Ping while OPEN, same payload");
            long reportedCloses = fixture.listener.events.stream().filter(e -> e.startsWith("close:")).count();
            assertTrue(reportedCloses <= 1, "close reported at most once");
        }
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains() {
        return ActionChain.startWith(Machine::new)
                .withAction(8, peerQueuesAHandshake())
                .withAction(4, peerQueuesFrames())
                .withAction(1, peerQueuesGarbage())
                .withAction(6, networkDelivers())
                .withAction(1, Action.just(Transformer.mutate("the loop comes back for waiting input", m -> {
                    m.connection().resumeInput(m.fixture.now);
                    m.observe();
                })))
                .withAction(1, appDefersTheDecision())
                .withAction(2, appDecides())
                .withAction(appSends())
                .withAction(appCloses())
                .withAction(clockAdvances())
                .withAction(1, when(Machine::answered, Arbitraries.just(Transformer.mutate(
                        "the I/O layer reports a fault", m -> {
                            m.connection().failInternally(new IllegalStateException("in the I/O layer"), m.fixture.now);
                            m.observe();
                        }))))
                .withAction(1, when(Machine::answered, Arbitraries.just(Transformer.mutate("TCP closes", m -> {
                    m.connection().transportClosed(m.fixture.now);
                    m.observe();
                })))).withMaxTransformations(40);
    }

    private static Action.Independent<Machine> peerQueuesAHandshake() {
        String request = ServerFixture.RFC_REQUEST;
        String version = "Sec-WebSocket-Version: 13\r\n";
        Arbitrary<String> requests = Arbitraries.frequency(
                Tuple.of(4, request),
                Tuple.of(3, request.replace(version, version + "Sec-WebSocket-Extensions: permessage-deflate\r\n")),
                Tuple.of(3, request.replace(version, version + "Sec-WebSocket-Extensions: permessage-deflate; "
                        + "client_no_context_takeover\r\n")),
                Tuple.of(1, request.replace("Version: 13", "Version: 8")),
                Tuple.of(1, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n"));
        // Once, first: what the peer sends before its request is garbage to the HTTP parser (covered elsewhere).
        return when(m -> !m.requestQueued, requests.map(r -> Transformer.mutate("peer queues a request of "
                + r.length() + " bytes", m -> {
                    m.requestQueued = true;
                    m.peerQueues(r.getBytes(StandardCharsets.US_ASCII));
                })));
    }

    private static Action.Independent<Machine> peerQueuesFrames() {
        Arbitrary<Frames> frames = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> Frames.start().clientText(s)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> Frames.start().client(Opcode.BINARY, true, b)),
                Arbitraries.just(Frames.start().client(Opcode.TEXT, false, Frames.utf8("part"))),
                Arbitraries.just(Frames.start().client(Opcode.CONTINUATION, true, Frames.utf8("end"))),
                Arbitraries.just(Frames.start().client(Opcode.TEXT, true, Frames.hex("c0 af"))),
                Arbitraries.just(Frames.start().client(Opcode.BINARY, true, new byte[1001])),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(10).map(b -> Frames.start().client(Opcode.PING, true, b)),
                Arbitraries.just(Frames.start().client(Opcode.PONG, true, new byte[0])));
        Arbitrary<Transformer<Machine>> plain = frames.map(f -> Transformer.mutate(
                "peer queues " + f.bytes().length + " bytes of frames", m -> m.peerQueues(f.bytes())));
        Arbitrary<Transformer<Machine>> closes = Arbitraries.of(1000, 1001, 1002, 1005, 999, 3000, 4999, 5000)
                .map(code -> Transformer.mutate("peer queues Close " + code, m -> {
                    if (CloseCode.isAllowedOnWire(code)) {
                        m.peerCloseCodes.add(code);
                    }
                    m.peerQueues(Frames.start().clientClose(code, "r").bytes());
                }));
        Arbitrary<Transformer<Machine>> emptyClose = Arbitraries.just(Transformer.mutate("peer queues an empty Close",
                m -> {
                    m.peerCloseCodes.add(1005);
                    m.peerQueues(Frames.start().client(Opcode.CLOSE, true, new byte[0]).bytes());
                }));
        // Compressed (RSV1): fine once permessage-deflate is agreed, 1002 otherwise; 300 KB inflate over two turns.
        Arbitrary<Transformer<Machine>> compressed = Arbitraries.of(10, 300, 300_000).map(size -> Transformer.mutate(
                "peer queues a compressed message of " + size + " bytes", m -> {
                    ByteBuffer payload = m.peerDeflater.compress(ByteBuffer.wrap(new byte[size]), true);
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    m.peerQueues(Frames.start().client(Opcode.BINARY.code(), true, DeflateConfig.RSV1, bytes).bytes());
                }));
        return when(m -> m.requestQueued, Arbitraries.frequencyOf(Tuple.of(8, plain), Tuple.of(2, closes),
                Tuple.of(1, emptyClose), Tuple.of(2, compressed)));
    }

    private static Action.Independent<Machine> peerQueuesGarbage() {
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20);
        return when(m -> m.requestQueued, garbage.map(bytes ->
                Transformer.mutate("peer queues " + bytes.length + " bytes of garbage", m -> {
                    m.peerSentGarbage = true;
                    m.peerQueues(bytes);
                })));
    }

    private static Action.Independent<Machine> networkDelivers() {
        Arbitrary<Integer> counts = Arbitraries.frequency(Tuple.of(3, -1), Tuple.of(1, 1), Tuple.of(4, 0))
                .flatMap(kind -> kind == 0 ? Arbitraries.integers().between(1, 300) : Arbitraries.just(kind));
        return independent(counts.map(n -> Transformer.mutate(n < 0 ? "network delivers everything in flight"
                : "network delivers " + n + " bytes", m -> m.deliver(n))));
    }

    private static Action.Independent<Machine> appSends() {
        return independent(Arbitraries.of("text", "binary", "ping").map(kind -> Transformer.mutate("app sends " + kind,
                m -> {
                    switch (kind) {
                        case "text" -> m.connection().sendText("hello");
                        case "binary" -> m.connection().sendBinary(ByteBuffer.wrap(new byte[] {1, 2}));
                        default -> m.connection().sendPing(ByteBuffer.allocate(0));
                    }
                    m.observe();
                })));
    }

    private static Action.Independent<Machine> appDefersTheDecision() {
        return when(m -> !m.requestQueued, Arbitraries.just(Transformer.mutate("the app will decide later",
                m -> m.fixture.listener.deferDecision = true)));
    }

    private static Action.Independent<Machine> appDecides() {
        Arbitrary<HandshakeDecision> decisions = Arbitraries.of(HandshakeDecision.accept(),
                HandshakeDecision.accept().withHeader("Set-Cookie", "a=1"), HandshakeDecision.reject(401, "token"));
        return when(m -> m.fixture.listener.deferDecision, decisions.map(decision -> Transformer.mutate(
                "the app decides: " + decision, m -> {
                    ConnectionState before = m.connection().state();
                    int events = m.fixture.listener.events.size();
                    boolean taken = m.connection().decide(decision, m.fixture.now);
                    assertEquals(before == ConnectionState.AWAITING_DECISION, taken, "taken only when pending");
                    if (!taken) {
                        assertEquals(before, m.connection().state(), "a late decision changes nothing");
                        assertEquals(events, m.fixture.listener.events.size());
                        assertTrue(m.connection().output().isEmpty(), "and sends nothing");
                    }
                    m.observe();
                })));
    }

    private static Action.Independent<Machine> appCloses() {
        return when(Machine::answered, Arbitraries.of(1000, 1001, 1011, 4000).map(code -> Transformer.mutate(
                "app closes " + code,
                m -> {
                    m.connection().close(CloseCode.of(code), "", m.fixture.now);
                    m.observe();
                })));
    }

    private static Action.Independent<Machine> clockAdvances() {
        Arbitrary<Long> steps = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.longs().between(0, 4_000_000_000L)),
                Tuple.of(1, Arbitraries.longs().between(4_000_000_000L, 12_000_000_000L)));
        // After the handshake's answer (the handshake timer has tests of its own, and would end most chains early),
        // or while the application decides, whose wait the handshake timer bounds.
        return when(m -> m.answered() || m.connection().state() == ConnectionState.AWAITING_DECISION,
                steps.map(nanos -> Transformer.mutate(
                "clock advances " + nanos / 1_000_000 + " ms", m -> {
                    m.fixture.now += nanos;
                    m.connection().onTimer(m.fixture.now);
                    m.observe();
                })));
    }

    private static Action.Independent<Machine> independent(Arbitrary<Transformer<Machine>> transformers) {
        return when(m -> true, transformers);
    }

    private static Action.Independent<Machine> when(Predicate<Machine> precondition,
            Arbitrary<Transformer<Machine>> transformers) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(Machine m) {
                return precondition.test(m);
            }

            @Override
            public Arbitrary<Transformer<Machine>> transformer() {
                return transformers;
            }
        };
    }

    @Property(tries = 1000)
    void theConnectionKeepsItsPromisesWhateverHappensFromItsFirstByte(@ForAll("chains") ActionChain<Machine> chain) {
        Machine end = chain.withInvariant("connection invariants", Machine::checkInvariants).run();
        Statistics.label("final state").collect(end.connection().state());
        Statistics.label("response").collect(end.status == null ? "none yet" : end.status.substring(9, 12));
        Statistics.label("reached").collect(reached(end));
    }

    private static String reached(Machine m) {
        boolean deflate = m.fixture.trace.stream().anyMatch(line -> line.contains("rsv=100"));
        boolean paused = m.fixture.trace.stream().anyMatch(line -> line.startsWith("input paused"));
        boolean echoed = m.fixture.trace.stream().anyMatch(line -> line.contains("SEND_CLOSE_ECHO"));
        boolean deferred = m.fixture.trace.stream().anyMatch(line -> line.contains("--DECISION_DEFERRED-->"));
        boolean idle = m.fixture.trace.stream().anyMatch(line -> line.contains("--IDLE_TIMEOUT-->"));
        return (deflate ? "compressed " : "") + (paused ? "paused " : "") + (echoed ? "echoed " : "")
                + (deferred ? "deferred " : "") + (idle ? "idle" : "");
    }
}
