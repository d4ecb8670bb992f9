package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the opening handshake (RFC 6455 §4.2, §9.1): (a) how the request is cut into reads does not
 * matter; (b) no input makes the server throw or answer outside the outcomes it promises; (c) extension offers
 * survive being written and read back.
 */
class HandshakeProperties {

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final ServerHandshakeConfig CONFIG = ServerHandshakeConfig.builder()
            .subprotocols(List.of("chat", "v2.chat", "mqtt"))
            .extensions(offers -> offers.isEmpty() ? List.of() : List.of(offers.get(0)))
            .build();
    /** Large enough for every generated valid request, small enough for garbage to exceed it. */
    private static final int MAX_HEAD = 600;

    // --- generators ---------------------------------------------------------------------------------------------

    private static Arbitrary<String> tokens() {
        return Arbitraries.strings().alpha().numeric().withChars(TOKEN_SYMBOLS).ofMinLength(1).ofMaxLength(12);
    }

    /** A valid handshake request with a random key, target, header-name case and optional headers. */
    @Provide
    Arbitrary<Requests> validRequests() {
        Arbitrary<String> keys = Arbitraries.bytes().array(byte[].class).ofSize(16)
                .map(b -> Base64.getEncoder().encodeToString(b));
        Arbitrary<String> targets = Arbitraries.strings().alpha().numeric().withChars("/-._~?=&%").ofMaxLength(30)
                .map(s -> "/" + s);
        Arbitrary<List<String>> subprotocols = Arbitraries.of("chat", "v2.chat", "mqtt", "soap", "wamp")
                .list().ofMaxSize(4);
        Arbitrary<List<ExtensionOffer>> extensions = offers().list().ofMaxSize(3);
        Arbitrary<Boolean> lowerCaseNames = Arbitraries.of(true, false);
        Arbitrary<String> connection = Arbitraries.of("Upgrade", "upgrade", "keep-alive, Upgrade", "Upgrade, close");
        return Combinators.combine(keys, targets, subprotocols, extensions, lowerCaseNames, connection)
                .as((key, target, protocols, offers, lower, conn) -> {
                    Requests request = Requests.valid().requestLine("GET " + target + " HTTP/1.1")
                            .set("Sec-WebSocket-Key", key).set("Connection", conn);
                    if (!protocols.isEmpty()) {
                        request.add("Sec-WebSocket-Protocol", String.join(", ", protocols));
                    }
                    for (ExtensionOffer offer : offers) {
                        request.add("Sec-WebSocket-Extensions", offer.toHeaderValue());
                    }
                    if (lower) {
                        for (String name : List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Key",
                                "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions")) {
                            request.rename(name, name.toLowerCase(Locale.ROOT));
                        }
                    }
                    return request;
                });
    }

    @Provide
    Arbitrary<ExtensionOffer> offers() {
        Arbitrary<ExtensionParameter> parameter = Combinators.combine(tokens(), tokens().injectNull(0.4))
                .as(ExtensionParameter::new);
        return Combinators.combine(tokens(), parameter.list().ofMaxSize(4)).as(ExtensionOffer::new);
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
        // Bytes from the alphabet of HTTP heads, so that lines, colons and empty lines are frequent.
        Arbitrary<String> httpish = Arbitraries.strings()
                .withChars("GET /HTP1.0:\r\n \tUpgrade:websocket,Connection\0\u00ff").ofMaxLength(700);
        Arbitrary<String> ended = httpish.map(s -> s + "\r\n\r\n");
        Arbitrary<String> afterRequestLine = httpish.map(s -> "GET / HTTP/1.1\r\n" + s + "\r\n\r\n");
        return Arbitraries.oneOf(random,
                Arbitraries.oneOf(httpish, ended, afterRequestLine).map(s -> s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    // --- (a) cutting ------------------------------------------------------------------------------------------

    @Property(tries = 500)
    void aValidRequestCutAnywhereGivesTheSameAcceptedOutcome(@ForAll("validRequests") Requests request,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 2000) Integer> cuts) {
        byte[] bytes = request.bytes();
        ServerHandshake.Accepted whole = assertInstanceOf(ServerHandshake.Accepted.class,
                new ServerHandshake(CONFIG).feed(ByteBuffer.wrap(bytes)), request::toString);

        ServerHandshake handshake = new ServerHandshake(CONFIG);
        // Cut points strictly inside the request (repeats give empty reads), then the end.
        List<Integer> points = new ArrayList<>(cuts.stream().map(c -> c % bytes.length).sorted().toList());
        points.add(bytes.length);
        ServerHandshake.Outcome outcome = null;
        int from = 0;
        for (int to : points) {
            if (outcome != null && !(outcome instanceof ServerHandshake.NeedMore)) {
                fail("an outcome before the last byte: " + outcome);
            }
            outcome = handshake.feed(ByteBuffer.wrap(bytes, from, to - from));
            from = to;
        }
        ServerHandshake.Accepted pieces = assertInstanceOf(ServerHandshake.Accepted.class, outcome);
        assertEquals(whole.response(), pieces.response());
        assertEquals(whole.subprotocol(), pieces.subprotocol());
        assertEquals(whole.extensionOffers(), pieces.extensionOffers());
        assertEquals(whole.acceptedExtensions(), pieces.acceptedExtensions());
        assertEquals(whole.request().target(), pieces.request().target());
        assertEquals(whole.request().headers().fields(), pieces.request().headers().fields());
        // And the response is right, not merely the same: the key's accept value (§4.2.2 step 5.4).
        String key = whole.request().header("Sec-WebSocket-Key");
        assertEquals(WebSocketAccept.compute(key), ParsedResponse.parse(pieces.response()).only("Sec-WebSocket-Accept"));
    }

    // --- (b) robustness ----------------------------------------------------------------------------------------

    /** Feeds {@code bytes} in two reads and checks the outcome is one the server promises. */
    private static ServerHandshake.Outcome feedChecked(byte[] bytes, int cut) {
        ServerHandshake handshake = new ServerHandshake(CONFIG.toBuilder().maxHeadBytes(MAX_HEAD).build());
        int at = Math.min(cut, bytes.length);
        ServerHandshake.Outcome first = handshake.feed(ByteBuffer.wrap(bytes, 0, at));
        ServerHandshake.Outcome outcome =
                first instanceof ServerHandshake.NeedMore ? handshake.feed(ByteBuffer.wrap(bytes, at, bytes.length - at)) : first;
        if (outcome instanceof ServerHandshake.Rejected rejected) {
            assertTrue(rejected.status() >= 400 && rejected.status() < 500, () -> "status " + rejected.status());
            ParsedResponse response = ParsedResponse.parse(rejected.response());
            assertEquals(rejected.status(), response.status());
            assertTrue(response.body().length > 1);
        }
        return outcome;
    }

    @Property(tries = 2000)
    void garbageNeverThrowsAndIsNeverAccepted(@ForAll("garbage") byte[] bytes, @ForAll @IntRange(max = 700) int cut) {
        ServerHandshake.Outcome outcome = feedChecked(bytes, cut);
        Statistics.label("garbage").collect(outcome.getClass().getSimpleName());
        Statistics.label("garbage").coverage(c -> {
            c.check("Rejected").percentage(p -> p > 10);
            c.check("NotWebSocket").percentage(p -> p > 0.25);
        });
        assertTrue(outcome instanceof ServerHandshake.NeedMore || outcome instanceof ServerHandshake.Rejected
                || outcome instanceof ServerHandshake.NotWebSocket, () -> "unexpected " + outcome);
    }

    @Property(tries = 2000)
    void mutatedRequestsNeverThrowAndAnyAcceptanceIsSound(@ForAll("validRequests") Requests request,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 100_000) Integer> positions,
            @ForAll @Size(min = 4, max = 4) List<Byte> values, @ForAll @IntRange(max = 700) int cut,
            @ForAll @IntRange(max = 2) int kind) {
        byte[] original = request.bytes();
        byte[] bytes = mutate(original, positions, values, kind);
        ServerHandshake.Outcome outcome = feedChecked(bytes, cut);
        Statistics.label("mutated").collect(outcome.getClass().getSimpleName());
        Statistics.label("mutated").coverage(c -> c.check("Rejected").percentage(p -> p > 50));
        // A mutation can leave a valid request (a changed path, Host or padding byte), so Accepted is possible;
        // then it must be a real acceptance: a valid key, and the accept value computed from it.
        if (outcome instanceof ServerHandshake.Accepted accepted) {
            String key = accepted.request().header("Sec-WebSocket-Key");
            assertTrue(WebSocketAccept.isValidKey(key), key);
            assertEquals("GET", accepted.request().method());
            assertEquals(WebSocketAccept.compute(key), ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Accept"));
        }
    }

    /** kind 0: overwrite bytes; 1: delete bytes; 2: insert bytes. */
    private static byte[] mutate(byte[] original, List<Integer> positions, List<Byte> values, int kind) {
        List<Byte> out = new ArrayList<>();
        for (byte b : original) {
            out.add(b);
        }
        for (int i = 0; i < positions.size(); i++) {
            if (kind == 1 && out.isEmpty()) {
                break;
            }
            int at = positions.get(i) % (kind == 2 ? out.size() + 1 : out.size());
            switch (kind) {
                case 0 -> out.set(at, values.get(i));
                case 1 -> out.remove(at);
                default -> out.add(at, values.get(i));
            }
        }
        byte[] bytes = new byte[out.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = out.get(i);
        }
        return bytes;
    }

    // --- (c) extension offers ----------------------------------------------------------------------------------

    @Property(tries = 1000)
    void extensionOffersRoundTripThroughTheirHeaderValue(@ForAll @Size(max = 5) List<@From("offers") ExtensionOffer> offers,
            @ForAll boolean oneLine) {
        List<String> values = offers.stream().map(ExtensionOffer::toHeaderValue).toList();
        List<String> header = oneLine ? List.of(String.join(", ", values)) : values;
        assertEquals(offers, ExtensionOffer.parseAll(header));
    }
}
