package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * A stateful property over the whole connection: whatever the peer sends, the application asks and the clock
 * does, nothing is sent or delivered after CLOSED, CLOSED is never left, at most one Close frame is sent and no
 * frame follows it, and close is reported at most once.
 */
class ConnectionStateProperties {

    /** The connection under test plus what has been observed of it so far. */
    static final class Machine {
        final ServerFixture fixture = ServerFixture.open(ConnectionConfig.builder()
                .maxMessageSize(1000)
                .idleTimeout(Duration.ofSeconds(10)).pongTimeout(Duration.ofSeconds(5))
                .closeTimeout(Duration.ofSeconds(3)).build());
        final FrameDecoder clientView = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE, Long.MAX_VALUE, 0);
        final List<String> sent = new ArrayList<>();
        int eventsAtClosed = -1;
        boolean wasClosed;

        Machine() {
            fixture.echoing();
        }

        Connection connection() {
            return fixture.connection;
        }

        void peer(Frames frames) {
            fixture.receive(frames);
            observe();
        }

        void observe() {
            RecordingFrameListener recorder = new RecordingFrameListener();
            assertNull(clientView.decode(ByteBuffer.wrap(connection().output().drain()), recorder),
                    "the server's own output must be well-formed");
            sent.addAll(recorder.events);
            if (connection().state() == ConnectionState.CLOSED && !wasClosed) {
                wasClosed = true;
                eventsAtClosed = fixture.listener.events.size();
            }
        }

        void checkInvariants() {
            if (wasClosed) {
                assertEquals(ConnectionState.CLOSED, connection().state(), "CLOSED is never left");
                assertEquals(eventsAtClosed, fixture.listener.events.size(), "nothing delivered after CLOSED");
                assertTrue(connection().output().isEmpty(), "nothing queued after CLOSED");
                assertFalse(connection().sendText("x"), "no sending after CLOSED");
            }
            int closes = 0;
            for (int i = 0; i < sent.size(); i++) {
                if (sent.get(i).startsWith("CLOSE")) {
                    closes++;
                    assertEquals(sent.size() - 1, i, "§5.5.1: nothing is sent after our Close frame: " + sent);
                }
            }
            assertTrue(closes <= 1, "at most one Close frame: " + sent);
            long reportedCloses = fixture.listener.events.stream().filter(e -> e.startsWith("close:")).count();
            assertTrue(reportedCloses <= 1, "close reported at most once");
        }
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains() {
        return ActionChain.startWith(Machine::new)
                .withAction(3, peerSends())
                .withAction(Action.just(Transformer.mutate("peer sends garbage", m -> m.peer(
                        Frames.start().raw(new byte[] {(byte) 0x8F, 0x01, 0x02})))))
                .withAction(appSends())
                .withAction(appCloses())
                .withAction(clockAdvances())
                .withAction(Action.just(Transformer.mutate("TCP closes", m -> {
                    m.connection().transportClosed(m.fixture.now);
                    m.observe();
                }))).withMaxTransformations(30);
    }

    private static Action.Independent<Machine> peerSends() {
        Arbitrary<Frames> frames = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> Frames.start().clientText(s)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50).map(b -> Frames.start().client(Opcode.BINARY, true, b)),
                Arbitraries.just(Frames.start().client(Opcode.TEXT, false, Frames.utf8("part")))
                        .map(f -> f),
                Arbitraries.just(Frames.start().client(Opcode.CONTINUATION, true, Frames.utf8("end")))
                        .map(f -> f),
                Arbitraries.just(Frames.start().client(Opcode.TEXT, true, Frames.hex("c0 af")))
                        .map(f -> f),
                Arbitraries.just(Frames.start().client(Opcode.BINARY, true, new byte[1001]))
                        .map(f -> f),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(10).map(b -> Frames.start().client(Opcode.PING, true, b)),
                Arbitraries.just(Frames.start().client(Opcode.PONG, true, new byte[0])).map(f -> f),
                Arbitraries.of(1000, 1001, 1002, 1005, 999, 3000, 4999, 5000).map(code -> Frames.start().clientClose(code, "r")),
                Arbitraries.just(Frames.start().client(Opcode.CLOSE, true, new byte[0])).map(f -> f));
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<Machine>> transformer() {
                return frames.map(f -> Transformer.mutate("peer sends " + f.bytes().length + " bytes", m -> m.peer(f)));
            }
        };
    }

    private static Action.Independent<Machine> appSends() {
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<Machine>> transformer() {
                return Arbitraries.of("text", "binary", "ping").map(kind -> Transformer.mutate("app sends " + kind, m -> {
                    switch (kind) {
                        case "text" -> m.connection().sendText("hello");
                        case "binary" -> m.connection().sendBinary(ByteBuffer.wrap(new byte[] {1, 2}));
                        default -> m.connection().sendPing(ByteBuffer.allocate(0));
                    }
                    m.observe();
                }));
            }
        };
    }

    private static Action.Independent<Machine> appCloses() {
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<Machine>> transformer() {
                return Arbitraries.of(1000, 1001, 1011, 4000).map(code -> Transformer.mutate("app closes " + code, m -> {
                    m.connection().close(CloseCode.of(code), "", m.fixture.now);
                    m.observe();
                }));
            }
        };
    }

    private static Action.Independent<Machine> clockAdvances() {
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<Machine>> transformer() {
                return Arbitraries.longs().between(0, 12_000_000_000L).map(nanos -> Transformer.mutate(
                        "clock advances " + nanos / 1_000_000 + " ms", m -> {
                            m.fixture.now += nanos;
                            m.connection().onTimer(m.fixture.now);
                            m.observe();
                        }));
            }
        };
    }

    @Property(tries = 500)
    void nothingIsSentOrDeliveredAfterClosedAndClosedIsNeverLeft(@ForAll("chains") ActionChain<Machine> chain) {
        chain.withInvariant("connection invariants", Machine::checkInvariants).run();
    }
}
