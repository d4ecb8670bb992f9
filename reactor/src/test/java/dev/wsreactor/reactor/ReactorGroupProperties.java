package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.internal.Opcode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random schedules of connects, messages, relays between sessions, broadcasts and closes against a server with 1
 * to 8 reactors, either way of accepting: every message reaches exactly whom it should, in order; the figures
 * add up across reactors; shutdown sends 1001 to whoever is left.
 */
class ReactorGroupProperties {

    /** One step; what it does depends on the clients open when it runs (see {@link Schedule#run}). */
    record Step(int kind, int first, int second) {
    }

    @Provide
    Arbitrary<Step> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 63)).as(Step::new);
    }

    @Property(tries = 100)
    void everyMessageReachesExactlyItsRecipientsInOrder(@ForAll @IntRange(min = 0, max = 3) int reactorsLog2,
            @ForAll boolean reusePort, @ForAll @Size(max = 60) List<@From("steps") Step> steps)
            throws Exception {
        RelayHandler handler = new RelayHandler();
        WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .reactors(1 << reactorsLog2).reusePort(reusePort).build().start();
        handler.server = server;
        Schedule schedule = new Schedule(server);
        try {
            for (Step step : steps) {
                schedule.run(step);
            }
            schedule.checkFigures();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(server::close);
            for (RawClient client : schedule.open.values()) {
                RawClient.Frame close = client.readFrame();
                assertEquals(Opcode.CLOSE.code(), close.opcode());
                assertEquals(CloseCode.GOING_AWAY.value(), close.closeCode());
                client.writeFrame(Opcode.CLOSE, true, close.payload());
                assertTrue(client.serverClosedTcp(), "the server closes TCP first (§7.1.1)");
                client.close(); // our FIN: the server's half-closed socket is done
            }
            shutdown.get(20, TimeUnit.SECONDS);
            assertFalse(server.isRunning(), "every reactor stopped once every session had answered");
        } finally {
            for (RawClient client : schedule.open.values()) {
                client.close();
            }
            server.close();
        }
    }

    /** The clients and what the server should have counted, as the steps run. */
    private static final class Schedule {

        final WebSocketServer server;
        final Map<String, RawClient> open = new LinkedHashMap<>();
        int connected;
        int closed;
        long messagesToServer;

        Schedule(WebSocketServer server) {
            this.server = server;
        }

        void run(Step step) throws Exception {
            List<String> names = new ArrayList<>(open.keySet());
            if (names.isEmpty() || step.kind() == 0 && names.size() < 8) {
                String name = "c" + connected++;
                open.put(name, connect(name));
                return;
            }
            String from = names.get(step.first() % names.size());
            String to = names.get(step.second() % names.size());
            String text = "m" + messagesToServer;
            switch (step.kind()) {
                case 1 -> {
                    send(from, text);
                    expect(List.of(from), text);
                }
                case 2 -> {
                    send(from, "to:" + to + ":" + text);
                    expect(List.of(to), "from:" + from + ":" + text);
                }
                case 3 -> {
                    send(from, "shout:" + text);
                    expect(names, from + ":" + text);
                }
                case 4 -> {
                    assertEquals(names.size(), server.broadcast(text).get(20, TimeUnit.SECONDS));
                    expect(names, text);
                }
                default -> close(from);
            }
        }

        private RawClient connect(String name) throws IOException {
            RawClient client = new RawClient(server.port());
            client.write(RawClient.UPGRADE_REQUEST.replace("GET / ", "GET /?name=" + name + " "));
            String head = client.readHead();
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            return client;
        }

        private void send(String from, String text) throws IOException {
            open.get(from).writeFrame(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
            messagesToServer++;
        }

        /** Each recipient's next frame is this text (and each open client had read all it was sent before). */
        private void expect(List<String> recipients, String text) throws IOException {
            for (String name : recipients) {
                RawClient.Frame frame = open.get(name).readFrame();
                assertEquals(Opcode.TEXT.code(), frame.opcode(), name);
                assertEquals(text, frame.text(), name);
            }
        }

        private void close(String name) throws IOException {
            RawClient client = open.remove(name);
            client.writeFrame(Opcode.CLOSE, true, ByteBuffer.allocate(2).putShort((short) 1000).array());
            RawClient.Frame reply = client.readFrame();
            assertEquals(Opcode.CLOSE.code(), reply.opcode());
            assertEquals(1000, reply.closeCode());
            assertTrue(client.serverClosedTcp());
            client.close();
            closed++;
        }

        void checkFigures() {
            // Closes first: the server counts one only once the client's FIN is in, after the client has moved on,
            // and a close not yet counted could hide an open not yet counted in the number of open sessions.
            Eventually.until(() -> {
                ServerStats now = server.stats();
                return now.closeCodes().values().stream().mapToLong(Long::longValue).sum() == closed
                        && now.sessionsOpen() == open.size() && now.messagesReceived() == messagesToServer;
            }, "every open, message and close counted");
            ServerStats stats = server.stats();
            assertEquals(connected, stats.connectionsAccepted());
            assertEquals(closed == 0 ? Map.of() : Map.of(1000, (long) closed), stats.closeCodes());
            for (Counter counter : Counter.values()) {
                assertEquals(stats.reactors().stream().mapToLong(r -> r.get(counter)).sum(), stats.get(counter),
                        counter.toString());
            }
        }
    }
}
