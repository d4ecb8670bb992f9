package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 §4.2: the server's opening handshake, the sample exchange and every way it refuses a request. */
class ServerHandshakeTest {

    private static ServerHandshake.Outcome feed(Requests request) {
        return feed(ServerHandshakeConfig.defaults(), request);
    }

    private static ServerHandshake.Outcome feed(ServerHandshakeConfig config, Requests request) {
        return new ServerHandshake(config).feed(request.buffer());
    }

    private static ServerHandshake.Accepted accepted(ServerHandshake.Outcome outcome) {
        return assertInstanceOf(ServerHandshake.Accepted.class, outcome, () -> "expected Accepted, got " + outcome);
    }

    /** Asserts a refusal with this status, and that its response is a well-formed HTTP response saying so. */
    private static ParsedResponse rejected(int status, ServerHandshake.Outcome outcome) {
        ServerHandshake.Rejected rejected =
                assertInstanceOf(ServerHandshake.Rejected.class, outcome, () -> "expected Rejected, got " + outcome);
        assertEquals(status, rejected.status(), rejected.reason());
        ParsedResponse response = ParsedResponse.parse(rejected.response());
        assertEquals(status, response.status());
        assertEquals(HttpStatus.reasonPhrase(status), response.reason());
        assertFalse(rejected.reason().isBlank(), "a refusal names its reason");
        assertEquals(rejected.reason() + "\n", response.bodyText(), "the body is the reason");
        assertEquals("close", response.only("Connection"));
        assertTrue(response.only("Content-Type").startsWith("text/plain"));
        return response;
    }

    private static String ascii(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // --- the sample exchange -------------------------------------------------------------------------------------

    @Test
    void section1_3_sampleKeyGivesSampleAccept() {
        // §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" -> "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
        assertEquals(Requests.SAMPLE_ACCEPT, WebSocketAccept.compute(Requests.SAMPLE_KEY));
        assertTrue(WebSocketAccept.isValidKey(Requests.SAMPLE_KEY));
    }

    @Test
    void section4_2_2_sampleRequestGetsTheExact101Response() {
        // §4.2.2 step 5 with the §1.3 sample: status line, Upgrade, Connection, Sec-WebSocket-Accept, empty line.
        ServerHandshake.Accepted accepted = accepted(feed(Requests.valid()));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "\r\n", ascii(accepted.response()));
        assertNull(accepted.subprotocol());
        assertEquals(List.of(), accepted.extensionOffers());
        assertEquals(List.of(), accepted.acceptedExtensions());
        assertEquals("GET", accepted.request().method());
        assertEquals("/chat", accepted.request().path());
        assertEquals("server.example.com", accepted.request().header("host"));
    }

    @Test
    void section1_3_fullSampleRequestWithOriginProtocolAndQueryIsAccepted() {
        // §1.3's client request, with Origin and two subprotocols, to a target with a query (§3 resource name).
        Requests request = Requests.valid().requestLine("GET /chat?room=1 HTTP/1.1")
                .add("Origin", "http://example.com").add("Sec-WebSocket-Protocol", "chat, superchat");
        ServerHandshake.Accepted accepted =
                accepted(feed(ServerHandshakeConfig.builder().subprotocols(List.of("chat")).build(), request));
        assertEquals("chat", accepted.subprotocol());
        assertEquals("/chat", accepted.request().path());
        assertEquals("room=1", accepted.request().query());
        ParsedResponse response = ParsedResponse.parse(accepted.response());
        assertEquals(101, response.status());
        assertEquals(Requests.SAMPLE_ACCEPT, response.only("Sec-WebSocket-Accept"));
        assertEquals("chat", response.only("Sec-WebSocket-Protocol"));
    }

    @Test
    void section4_2_2_acceptIsDerivedFromTheRequestsKey() {
        // §4.2.2 step 5.4: the accept value depends on this request's key, not a fixed one.
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        ServerHandshake.Accepted accepted = accepted(feed(Requests.valid().set("Sec-WebSocket-Key", key)));
        String accept = ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Accept");
        assertEquals(WebSocketAccept.compute(key), accept);
        assertFalse(accept.equals(Requests.SAMPLE_ACCEPT));
    }

    @Test
    void section4_2_1_bytesAfterTheHeadAreLeftForTheFrameDecoder() {
        // §4.1: the client may send frames right after its handshake; the server must not swallow them.
        byte[] head = Requests.valid().bytes();
        byte[] frame = {(byte) 0x81, (byte) 0x80, 1, 2, 3, 4};
        ByteBuffer in = ByteBuffer.allocate(head.length + frame.length).put(head).put(frame).flip();
        accepted(new ServerHandshake(ServerHandshakeConfig.defaults()).feed(in));
        byte[] left = new byte[in.remaining()];
        in.get(left);
        assertArrayEquals(frame, left);
    }

    @Test
    void section4_2_1_requestArrivingOneByteAtATime() {
        // §4.2.1: the server reads the handshake as it arrives; only the final LF completes it.
        byte[] bytes = Requests.valid().bytes();
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.defaults());
        for (int i = 0; i < bytes.length - 1; i++) {
            ServerHandshake.Outcome outcome = handshake.feed(ByteBuffer.wrap(bytes, i, 1));
            assertInstanceOf(ServerHandshake.NeedMore.class, outcome, "after byte " + i);
        }
        ServerHandshake.Accepted accepted = accepted(handshake.feed(ByteBuffer.wrap(bytes, bytes.length - 1, 1)));
        assertEquals(Requests.SAMPLE_ACCEPT, ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Accept"));
    }

    @Test
    void section4_2_1_emptyInputAndPartialHeadNeedMore() {
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.defaults());
        assertInstanceOf(ServerHandshake.NeedMore.class, handshake.feed(ByteBuffer.allocate(0)));
        String text = Requests.valid().text();
        // Everything but the final empty line.
        ByteBuffer partial = ByteBuffer.wrap(text.substring(0, text.length() - 2).getBytes(StandardCharsets.ISO_8859_1));
        assertInstanceOf(ServerHandshake.NeedMore.class, handshake.feed(partial));
        accepted(handshake.feed(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.ISO_8859_1))));
    }

    // --- the head's size ----------------------------------------------------------------------------------------

    @Test
    void section4_2_1_headerBlockOverTheCapGets431() {
        // §4.2.1 lets the server refuse; RFC 6585 §5: 431 Request Header Fields Too Large.
        Requests request = Requests.valid().add("X-Padding", "a".repeat(9000));
        rejected(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, feed(request));
    }

    @Test
    void section4_2_1_theCapIsExact() {
        // A head of exactly the cap is read; one byte more is 431.
        int cap = Requests.valid().bytes().length;
        accepted(feed(ServerHandshakeConfig.builder().maxHeadBytes(cap).build(), Requests.valid()));
        rejected(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                feed(ServerHandshakeConfig.builder().maxHeadBytes(cap - 1).build(), Requests.valid()));
    }

    @Test
    void section4_2_1_endlessHeadIsRefusedWithoutWaitingForItsEnd() {
        // A client that never ends its head is cut off at the cap, not buffered without bound.
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.builder().maxHeadBytes(100).build());
        ServerHandshake.Outcome outcome =
                handshake.feed(ByteBuffer.wrap(("GET / HTTP/1.1\r\nX: " + "b".repeat(200)).getBytes(StandardCharsets.ISO_8859_1)));
        rejected(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, outcome);
    }

    // --- §4.1 / §4.2.1 item 1: method and version ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "HEAD", "DELETE", "get"})
    void section4_2_1_item1_nonGetGets405WithAllowGet(String method) {
        // §4.2.1 item 1 / §4.1: "The method of the request MUST be GET" (methods are case-sensitive).
        ParsedResponse response = rejected(HttpStatus.METHOD_NOT_ALLOWED,
                feed(Requests.valid().requestLine(method + " /chat HTTP/1.1")));
        assertEquals("GET", response.only("Allow"));
    }

    @Test
    void section4_2_1_item1_http10IsRefusedWith400() {
        // §4.2.1 item 1: "An HTTP/1.1 or higher GET request".
        ParsedResponse response = rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().requestLine("GET /chat HTTP/1.0")));
        assertTrue(response.bodyText().contains("HTTP/1.1"), response.bodyText());
    }

    @Test
    void section4_2_1_item1_laterHttpVersionIsAccepted() {
        // "HTTP/1.1 or higher".
        accepted(feed(Requests.valid().requestLine("GET /chat HTTP/1.2")));
    }

    // --- §4.2.1 item 2: Host -------------------------------------------------------------------------------------

    @Test
    void section4_2_1_item2_missingHostGets400() {
        ParsedResponse response = rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().remove("Host")));
        assertTrue(response.bodyText().contains("Host"), response.bodyText());
    }

    @Test
    void section4_2_1_item2_repeatedHostGets400() {
        // RFC 9112 §3.2: a server "MUST respond with a 400 (Bad Request) status code to ... any request message that
        // contains more than one Host header field line".
        rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().add("Host", "other.example")));
        rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().add("host", "server.example.com")));
    }

    // --- §4.2.1 items 3 and 4: Upgrade and Connection -----------------------------------------------------------

    @Test
    void section4_2_1_item3_upgradeWithoutWebsocketIsNotAWebSocketRequest() {
        // §4.2.1 item 3: no "websocket" token in Upgrade. The code hands such a request (say, an h2c upgrade) to
        // the plain HTTP handler rather than refusing it itself: it is not a WebSocket request at all.
        ServerHandshake.Outcome outcome = feed(Requests.valid().set("Upgrade", "h2c"));
        ServerHandshake.NotWebSocket notWebSocket = assertInstanceOf(ServerHandshake.NotWebSocket.class, outcome);
        assertEquals("h2c", notWebSocket.request().header("Upgrade"));
        // ...and a WebSocket-only endpoint has a sensible answer ready: 426 naming what it does speak (§4.4).
        ParsedResponse response = ParsedResponse.parse(HttpResponse.upgradeRequired().encode());
        assertEquals(HttpStatus.UPGRADE_REQUIRED, response.status());
        assertEquals("websocket", response.only("Upgrade"));
        assertEquals("13", response.only("Sec-WebSocket-Version"));
        assertTrue(response.body().length > 0);
    }

    @Test
    void section4_2_1_item3_websocketTokenInAnUpgradeList() {
        // §4.2.1 item 3: Upgrade "including" websocket; RFC 9110 §7.8 lets Upgrade list several protocols.
        accepted(feed(Requests.valid().set("Upgrade", "foo/2, websocket")));
    }

    @Test
    void section4_2_1_item4_connectionListWithUpgradeIsAccepted() {
        // §4.2.1 item 4: a Connection header "that includes the token 'Upgrade'" (as Firefox sends it).
        accepted(feed(Requests.valid().set("Connection", "keep-alive, Upgrade")));
    }

    @Test
    void section4_2_1_item4_connectionTokensOnSeveralLines() {
        // RFC 9110 §5.3: a list split over several header lines is the same list.
        accepted(feed(Requests.valid().set("Connection", "keep-alive").add("Connection", "upgrade")));
    }

    @Test
    void section4_2_1_item4_connectionWithoutUpgradeGets400() {
        ParsedResponse response = rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().set("Connection", "keep-alive")));
        assertTrue(response.bodyText().contains("Connection"), response.bodyText());
        rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().remove("Connection")));
        // A token that merely contains "upgrade" is not the token.
        rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().set("Connection", "upgraded")));
    }

    @Test
    void section4_2_1_tokensAndHeaderNamesAreCaseInsensitive() {
        // §4.2.1 items 3 and 4: "treated as an ASCII case-insensitive value"; RFC 9110 §5.1: names too.
        Requests request = Requests.valid().set("Upgrade", "WebSocket").set("Connection", "UPGRADE")
                .rename("Host", "host").rename("Sec-WebSocket-Key", "sec-websocket-key")
                .rename("Sec-WebSocket-Version", "SEC-WEBSOCKET-VERSION");
        ServerHandshake.Accepted accepted = accepted(feed(request));
        assertEquals(Requests.SAMPLE_ACCEPT, ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Accept"));
    }

    // --- §4.2.1 item 5: Sec-WebSocket-Key -----------------------------------------------------------------------

    static Stream<Arguments> badKeys() {
        Base64.Encoder base64 = Base64.getEncoder();
        return Stream.of(
                Arguments.of("15 bytes", base64.encodeToString(new byte[15])),
                Arguments.of("17 bytes", base64.encodeToString(new byte[17])),
                Arguments.of("16 bytes unpadded", base64.withoutPadding().encodeToString(new byte[16])),
                Arguments.of("not base64", "!!!!!!!!!!!!!!!!!!!!!!=="),
                Arguments.of("url-safe alphabet", "dGhlIHNhbXBsZSBub25jZQ-_"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void section4_2_1_item5_keyThatIsNotBase64Of16BytesGets400(String label, String key) {
        // §4.2.1 item 5: "a base64-encoded value that, when decoded, is 16 bytes in length".
        rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().set("Sec-WebSocket-Key", key)));
    }

    @Test
    void section4_2_1_item5_seventeenBytesHaveTheSameLengthAsSixteen() {
        // Why the length check alone is not enough: base64 of 17 bytes is also 24 characters.
        String key = Base64.getEncoder().encodeToString(new byte[17]);
        assertEquals(24, key.length());
        assertFalse(WebSocketAccept.isValidKey(key));
        assertEquals(20, Base64.getEncoder().encodeToString(new byte[15]).length());
    }

    @Test
    void section4_2_1_item5_missingOrRepeatedKeyGets400NamingWhich() {
        ParsedResponse missing = rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().remove("Sec-WebSocket-Key")));
        assertEquals("missing Sec-WebSocket-Key header\n", missing.bodyText());
        // Two valid keys: the request is wrong for having two, not for what either of them holds.
        ParsedResponse repeated = rejected(HttpStatus.BAD_REQUEST,
                feed(Requests.valid().add("Sec-WebSocket-Key", Requests.SAMPLE_KEY)));
        assertEquals("duplicate Sec-WebSocket-Key\n", repeated.bodyText());
    }

    // --- §4.2.1 item 6 and §4.4: Sec-WebSocket-Version ----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"8", "7", "14", "13, 8", ""})
    void section4_4_unsupportedVersionGets426NamingVersion13(String version) {
        // §4.2.2 / §4.4: "abort the handshake ... with ... 426 Upgrade Required ... and a |Sec-WebSocket-Version|
        // header field indicating the version(s) the server is capable of understanding".
        ParsedResponse response = rejected(HttpStatus.UPGRADE_REQUIRED, feed(Requests.valid().set("Sec-WebSocket-Version", version)));
        assertEquals("13", response.only("Sec-WebSocket-Version"));
    }

    @Test
    void section4_2_1_item6_missingOrRepeatedVersionGets426() {
        assertEquals("13", rejected(HttpStatus.UPGRADE_REQUIRED,
                feed(Requests.valid().remove("Sec-WebSocket-Version"))).only("Sec-WebSocket-Version"));
        rejected(HttpStatus.UPGRADE_REQUIRED, feed(Requests.valid().add("Sec-WebSocket-Version", "8")));
    }

    // --- every refusal ------------------------------------------------------------------------------------------

    static Stream<Arguments> everyRejection() {
        return Stream.of(
                Arguments.of(431, Requests.valid().add("X-Big", "x".repeat(10_000))),
                Arguments.of(405, Requests.valid().requestLine("POST /chat HTTP/1.1")),
                Arguments.of(400, Requests.valid().requestLine("GET /chat HTTP/1.0")),
                Arguments.of(400, Requests.valid().remove("Host")),
                Arguments.of(400, Requests.valid().add("Host", "second.example")),
                Arguments.of(400, Requests.valid().set("Connection", "close")),
                Arguments.of(400, Requests.valid().remove("Sec-WebSocket-Key")),
                Arguments.of(400, Requests.valid().set("Sec-WebSocket-Key", "abc")),
                Arguments.of(426, Requests.valid().set("Sec-WebSocket-Version", "8")),
                Arguments.of(400, Requests.valid().requestLine("GET /chat")),
                Arguments.of(400, Requests.valid().add("Bad Name", "x")));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("everyRejection")
    void section4_2_2_everyRejectionIsAWellFormedHttpResponseWithItsReason(int status, Requests request) {
        // §4.2.2: "If the server chooses not to accept the connection, it MUST return an appropriate HTTP error code".
        ParsedResponse response = rejected(status, feed(request));
        assertTrue(response.body().length > 1, "a non-empty reason body");
        assertTrue(response.all("Sec-WebSocket-Accept").isEmpty(), "a refusal carries no accept value");
    }

    // --- §4.2.2 step 5.4 /subprotocol/ --------------------------------------------------------------------------

    @Test
    void section4_2_2_subprotocolIsChosenByTheServersPreferenceNotTheClients() {
        ServerHandshakeConfig config = ServerHandshakeConfig.builder().subprotocols(List.of("v2.chat", "v1.chat")).build();
        Requests request = Requests.valid().add("Sec-WebSocket-Protocol", "v1.chat, v2.chat");
        ServerHandshake.Accepted accepted = accepted(feed(config, request));
        assertEquals("v2.chat", accepted.subprotocol());
        assertEquals("v2.chat", ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Protocol"));

        ServerHandshakeConfig reversed = ServerHandshakeConfig.builder().subprotocols(List.of("v1.chat", "v2.chat")).build();
        assertEquals("v1.chat", accepted(feed(reversed, request)).subprotocol());
    }

    @Test
    void section4_2_2_subprotocolsOfferedOnSeveralHeaderLines() {
        // §11.3.4: the header "MAY appear multiple times"; the lines form one list.
        ServerHandshakeConfig config = ServerHandshakeConfig.builder().subprotocols(List.of("mqtt", "wamp")).build();
        Requests request = Requests.valid().add("Sec-WebSocket-Protocol", "soap").add("Sec-WebSocket-Protocol", "wamp");
        assertEquals("wamp", accepted(feed(config, request)).subprotocol());
    }

    @Test
    void section4_2_2_noCommonSubprotocolMeansNoProtocolHeader() {
        // §4.2.2 step 5.4: /subprotocol/ "null"; §4.1: the server must not answer with one the client did not offer.
        ServerHandshakeConfig config = ServerHandshakeConfig.builder().subprotocols(List.of("mqtt")).build();
        ServerHandshake.Accepted accepted = accepted(feed(config, Requests.valid().add("Sec-WebSocket-Protocol", "chat, MQTT")));
        assertNull(accepted.subprotocol());
        assertTrue(ParsedResponse.parse(accepted.response()).all("Sec-WebSocket-Protocol").isEmpty());
        // And a client that offers none gets none, whatever the server speaks.
        assertNull(accepted(feed(config, Requests.valid())).subprotocol());
    }

    // --- §9.1 extensions ----------------------------------------------------------------------------------------

    @Test
    void section9_1_offersAreParsedButNoneAcceptedByDefault() {
        Requests request = Requests.valid()
                .add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame");
        ServerHandshake.Accepted accepted = accepted(feed(request));
        assertEquals(List.of("permessage-deflate", "x-webkit-deflate-frame"),
                accepted.extensionOffers().stream().map(ExtensionOffer::name).toList());
        assertTrue(accepted.acceptedExtensions().isEmpty());
        assertTrue(ParsedResponse.parse(accepted.response()).all("Sec-WebSocket-Extensions").isEmpty());
    }

    @Test
    void section9_1_acceptedExtensionsAreListedInTheResponse() {
        ServerHandshakeConfig config = ServerHandshakeConfig.builder().extensions(offers -> offers.stream()
                .filter(o -> o.name().equals("permessage-deflate")).limit(1)
                .map(o -> new ExtensionOffer(o.name(), List.of(new ExtensionParameter("server_no_context_takeover", null))))
                .toList()).build();
        Requests request = Requests.valid().add("Sec-WebSocket-Extensions", "foo, permessage-deflate; client_max_window_bits");
        ServerHandshake.Accepted accepted = accepted(feed(config, request));
        assertEquals("permessage-deflate; server_no_context_takeover",
                ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Extensions"));
    }

    // --- the application's policy (§4.2.2, §10.2) ---------------------------------------------------------------

    @Test
    void section10_2_foreignOriginIsRefusedWith403() {
        // §4.2.2 step 4 / §10.2: the server MAY refuse an Origin it does not trust, with 403 Forbidden.
        ServerHandshakeConfig config = ServerHandshakeConfig.builder()
                .policy(HandshakePolicy.allowOrigins(List.of("https://app.example"))).build();
        ParsedResponse response = rejected(HttpStatus.FORBIDDEN, feed(config, Requests.valid().add("Origin", "https://evil.example")));
        assertTrue(response.bodyText().contains("https://evil.example"), response.bodyText());

        accepted(feed(config, Requests.valid().add("Origin", "https://app.example")));
        accepted(feed(config, Requests.valid())); // no Origin: not a browser
    }

    @Test
    void section4_2_1_protocolChecksRunBeforeThePolicy() {
        // The policy sees only valid WebSocket requests: a bad version is still 426, not the policy's 403.
        ServerHandshakeConfig config = ServerHandshakeConfig.builder()
                .policy(HandshakePolicy.allowOrigins(List.of("https://app.example"))).build();
        rejected(HttpStatus.UPGRADE_REQUIRED,
                feed(config, Requests.valid().add("Origin", "https://evil.example").set("Sec-WebSocket-Version", "8")));
    }

    @Test
    void section4_2_2_combinedPoliciesRunInOrder() {
        HandshakePolicy notFound = request -> request.path().equals("/chat") ? null
                : HandshakeRejection.of(HttpStatus.NOT_FOUND, "no such endpoint");
        ServerHandshakeConfig config = ServerHandshakeConfig.builder()
                .policy(HandshakePolicy.allowOrigins(List.of("https://app.example")).and(notFound)).build();
        rejected(HttpStatus.NOT_FOUND, feed(config, Requests.valid().requestLine("GET /other HTTP/1.1")));
        rejected(HttpStatus.FORBIDDEN,
                feed(config, Requests.valid().requestLine("GET /other HTTP/1.1").add("Origin", "https://evil.example")));
        accepted(feed(config, Requests.valid()));
    }

    // --- malformed HTTP (RFC 9112) ------------------------------------------------------------------------------

    static Stream<String> malformedRequests() {
        String rest = "Host: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + Requests.SAMPLE_KEY
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        return Stream.of(
                "GET /chat\r\n" + rest,                          // no version
                "GET /chat HTTP/1.1 extra\r\n" + rest,           // too many parts
                "GET  /chat HTTP/1.1\r\n" + rest,                // two spaces
                "GET /chat http/1.1\r\n" + rest,                 // lower-case protocol name
                "GET /chat HTTP/1.10\r\n" + rest,                // two-digit minor version
                "GET /chat HTTP/1\r\n" + rest,                   // no minor version
                "GET /chat HTTP/x.1\r\n" + rest,                 // the major version is not a digit
                "GET /chat HTTP/1.1 \r\n" + rest,                // a space after the version
                "GET\t/chat HTTP/1.1\r\n" + rest,                // a tab instead of the first space
                "GET /chat\tHTTP/1.1\r\n" + rest,                // a tab instead of the second space
                " GET /chat HTTP/1.1\r\n" + rest,                // a space before the method
                "G(T /chat HTTP/1.1\r\n" + rest,                 // method is not a token
                "GET /ch\u0001at HTTP/1.1\r\n" + rest,          // control character in the request line
                "GET /chat HTTP/1.1\r\nNoColonHere\r\n" + rest,  // header without a colon
                "GET /chat HTTP/1.1\r\nX-A: a\r\r\n" + rest,       // a bare CR at the end of a value
                "GET /chat HTTP/1.1\r\n: empty-name\r\n" + rest, // header with an empty name
                "GET /chat HTTP/1.1\r\nHost : h\r\n" + rest,     // whitespace before the colon (RFC 9112 §5.1)
                "GET /chat HTTP/1.1\r\nX-A: a\r\n folded\r\n" + rest, // obsolete line folding (RFC 9112 §5.2)
                "GET /chat HTTP/1.1\r\n folded-first: a\r\n" + rest,  // whitespace before the first header (§2.2)
                "GET /chat HTTP/1.1\r\nX-A: a\u0000b\r\n" + rest,     // NUL in a value (RFC 9110 §5.5)
                "GET /chat HTTP/1.1\r\nX-\u00e9: a\r\n" + rest);      // non-token byte in a name
    }

    @ParameterizedTest
    @MethodSource("malformedRequests")
    void rfc9112_malformedRequestLineOrHeaderGets400(String request) {
        // §4.2.1: the handshake must be a valid HTTP request; RFC 9112 §3 and §5 say what valid means.
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.defaults());
        rejected(HttpStatus.BAD_REQUEST, handshake.feed(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"13\u000b", "\u000c13", "13\u001f", "\u001c13", "13\r"})
    void rfc9110_controlCharacterAtTheEdgeOfAValueGets400(String version) {
        // RFC 9110 §5.5: a field value holds no control characters but HTAB; only SP and HTAB around it are
        // optional whitespace (§5.6.3), so a control character is refused wherever it stands, not trimmed away.
        rejected(HttpStatus.BAD_REQUEST, feed(Requests.valid().set("Sec-WebSocket-Version", version)));
    }

    @Test
    void rfc9112_bareLineFeedsAndLeadingEmptyLinesAreTolerated() {
        // RFC 9112 §2.2: a recipient MAY accept a bare LF as a line end, and SHOULD ignore empty lines before the
        // request line.
        String request = "\r\n\r\n" + Requests.valid().text().replace("\r\n", "\n");
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.defaults());
        accepted(handshake.feed(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void rfc9110_headerValuesAreTrimmedOfOptionalWhitespace() {
        // RFC 9110 §5.5: leading and trailing whitespace is not part of a field value.
        String request = Requests.valid().text().replace("Sec-WebSocket-Key: " + Requests.SAMPLE_KEY,
                "Sec-WebSocket-Key:\t " + Requests.SAMPLE_KEY + " \t");
        ServerHandshake handshake = new ServerHandshake(ServerHandshakeConfig.defaults());
        ServerHandshake.Accepted accepted =
                accepted(handshake.feed(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals(Requests.SAMPLE_ACCEPT, ParsedResponse.parse(accepted.response()).only("Sec-WebSocket-Accept"));
    }

    // --- not WebSocket at all -----------------------------------------------------------------------------------

    @Test
    void section4_2_1_plainGetWithoutUpgradeIsNotWebSocket() {
        // A well-formed HTTP request with no Upgrade: websocket goes to the plain HTTP handler, unrefused.
        String request = "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: text/html\r\n\r\n";
        ServerHandshake.Outcome outcome = new ServerHandshake(ServerHandshakeConfig.defaults())
                .feed(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        ServerHandshake.NotWebSocket notWebSocket = assertInstanceOf(ServerHandshake.NotWebSocket.class, outcome);
        assertEquals("GET", notWebSocket.request().method());
        assertEquals("/index.html", notWebSocket.request().path());
        assertEquals("x=1", notWebSocket.request().query());
        assertEquals("text/html", notWebSocket.request().header("accept"));
    }

    @Test
    void section4_2_1_plainPostAndHttp10AreNotWebSocketEither() {
        // Without Upgrade: websocket the WebSocket rules (GET, HTTP/1.1) do not apply.
        assertInstanceOf(ServerHandshake.NotWebSocket.class, feed(Requests.valid().remove("Upgrade")
                .requestLine("POST /form HTTP/1.1")));
        assertInstanceOf(ServerHandshake.NotWebSocket.class, new ServerHandshake(ServerHandshakeConfig.defaults())
                .feed(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))));
    }
}
