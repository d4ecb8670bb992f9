package dev.wsreactor.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import dev.wsreactor.protocol.internal.handshake.WebSocketAccept;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 6455 §4.1: our client's request against our server, and the client's checks of the server's answer. */
class ClientHandshakeTest {

    private static ClientHandshake client(List<String> subprotocols, List<String> extensions) {
        return new ClientHandshake("server.example.com:8080", "/chat?room=7", subprotocols, extensions,
                HttpHeaders.of("Origin", "https://app.example"), new Random(42));
    }

    private static ClientHandshake client() {
        return client(List.of(), List.of());
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A 101 response to {@code client}, with these header lines instead of the usual ones where given. */
    private static String response(ClientHandshake client, String upgrade, String connection, String accept) {
        StringBuilder out = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        if (upgrade != null) {
            out.append("Upgrade: ").append(upgrade).append("\r\n");
        }
        if (connection != null) {
            out.append("Connection: ").append(connection).append("\r\n");
        }
        if (accept != null) {
            out.append("Sec-WebSocket-Accept: ").append(accept).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    private static ClientHandshake.Failed failed(ClientHandshake.Outcome outcome) {
        return assertInstanceOf(ClientHandshake.Failed.class, outcome, () -> "expected Failed, got " + outcome);
    }

    @Test
    void section4_1_clientRequestIsAcceptedByTheServerAndTheServersAnswerByTheClient() {
        ClientHandshake client = client(List.of("v1.chat", "v2.chat"), List.of("permessage-deflate; client_max_window_bits"));
        ServerHandshakeConfig config = ServerHandshakeConfig.builder()
                .subprotocols(List.of("v2.chat"))
                .policy(HandshakePolicy.allowOrigins(List.of("https://app.example")))
                .extensions(offers -> offers.stream().filter(o -> o.name().equals("permessage-deflate")).toList())
                .build();

        ServerHandshake.Outcome serverOutcome = new ServerHandshake(config).feed(client.request());
        ServerHandshake.Accepted accepted = assertInstanceOf(ServerHandshake.Accepted.class, serverOutcome,
                () -> "server said " + serverOutcome);
        assertEquals("/chat", accepted.request().path());
        assertEquals("room=7", accepted.request().query());
        assertEquals("server.example.com:8080", accepted.request().header("Host"));
        assertEquals("v2.chat", accepted.subprotocol());

        ClientHandshake.Outcome clientOutcome = client.feed(accepted.response());
        ClientHandshake.Accepted done = assertInstanceOf(ClientHandshake.Accepted.class, clientOutcome,
                () -> "client said " + clientOutcome);
        assertEquals("v2.chat", done.subprotocol());
        assertEquals(List.of(new ExtensionOffer("permessage-deflate", List.of(new ExtensionParameter("client_max_window_bits", null)))),
                done.extensions());
        assertEquals(WebSocketAccept.compute(client.key()), done.headers().first("Sec-WebSocket-Accept"));
    }

    @Test
    void section4_1_plainClientAgainstDefaultServer() {
        ClientHandshake client = client();
        ServerHandshake.Outcome serverOutcome = new ServerHandshake(ServerHandshakeConfig.defaults()).feed(client.request());
        ServerHandshake.Accepted accepted = assertInstanceOf(ServerHandshake.Accepted.class, serverOutcome);
        ClientHandshake.Accepted done = assertInstanceOf(ClientHandshake.Accepted.class, client.feed(accepted.response()));
        assertNull(done.subprotocol());
        assertTrue(done.extensions().isEmpty());
    }

    @Test
    void section4_1_keyIsBase64Of16RandomBytes() {
        // §4.1 item 7: "a randomly selected 16-byte value that has been base64-encoded".
        ClientHandshake a = new ClientHandshake("h", "/", List.of(), List.of(), new HttpHeaders(), new Random(1));
        ClientHandshake b = new ClientHandshake("h", "/", List.of(), List.of(), new HttpHeaders(), new Random(2));
        assertTrue(WebSocketAccept.isValidKey(a.key()), a.key());
        assertTrue(WebSocketAccept.isValidKey(b.key()), b.key());
        assertNotEquals(a.key(), b.key());
        String request = StandardCharsets.ISO_8859_1.decode(a.request()).toString();
        assertTrue(request.startsWith("GET / HTTP/1.1\r\n"), request);
        assertTrue(request.contains("\r\nSec-WebSocket-Key: " + a.key() + "\r\n"), request);
        assertTrue(request.contains("\r\nSec-WebSocket-Version: 13\r\n"), request);
        assertTrue(request.endsWith("\r\n\r\n"), request);
    }

    @Test
    void section4_1_responseArrivingInPiecesThenFramesAreLeftInTheBuffer() {
        ClientHandshake client = client();
        String head = response(client, "websocket", "Upgrade", WebSocketAccept.compute(client.key()));
        int half = head.length() / 2;
        assertInstanceOf(ClientHandshake.NeedMore.class, client.feed(ascii(head.substring(0, half))));
        byte[] frame = {(byte) 0x81, 0x02, 'h', 'i'};
        byte[] rest = head.substring(half).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer in = ByteBuffer.allocate(rest.length + frame.length).put(rest).put(frame).flip();
        assertInstanceOf(ClientHandshake.Accepted.class, client.feed(in));
        byte[] left = new byte[in.remaining()];
        in.get(left);
        assertArrayEquals(frame, left);
    }

    @Test
    void section4_1_item4_wrongAcceptFails() {
        // §4.1, the client's checks, item 4: "If the |Sec-WebSocket-Accept| ... is not the base64-encoded SHA-1 of
        // the concatenation of the |Sec-WebSocket-Key| ... the client MUST _Fail the WebSocket Connection_".
        ClientHandshake client = client();
        // The sample accept belongs to the sample key, not to this client's key.
        ClientHandshake.Failed failed = failed(client.feed(ascii(response(client, "websocket", "Upgrade", Requests.SAMPLE_ACCEPT))));
        assertEquals(101, failed.status());
        assertTrue(failed.reason().contains("Accept"), failed.reason());
    }

    @Test
    void section4_1_item4_missingAcceptFails() {
        ClientHandshake client = client();
        failed(client.feed(ascii(response(client, "websocket", "Upgrade", null))));
    }

    @Test
    void section4_1_item1_non101StatusFails() {
        // Item 1: "If the status code received from the server is not 101, the client handles the response per
        // HTTP procedures" - for us, a failure that keeps the status.
        ClientHandshake client = client();
        // A real refusal from our server: version 8 is not spoken.
        String request = StandardCharsets.ISO_8859_1.decode(client.request()).toString()
                .replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8");
        ServerHandshake.Rejected rejected = assertInstanceOf(ServerHandshake.Rejected.class,
                new ServerHandshake(ServerHandshakeConfig.defaults()).feed(ascii(request)));
        ClientHandshake.Failed failed = failed(client.feed(rejected.response()));
        assertEquals(426, failed.status());

        ClientHandshake other = client();
        assertEquals(200, failed(other.feed(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))).status());
    }

    @Test
    void section4_1_item2_missingOrWrongUpgradeFails() {
        // Item 2: "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a value
        // that is not an ASCII case-insensitive match for the value "websocket", the client MUST _Fail_".
        ClientHandshake client = client();
        String accept = WebSocketAccept.compute(client.key());
        assertEquals(101, failed(client.feed(ascii(response(client, null, "Upgrade", accept)))).status());
        ClientHandshake other = client();
        failed(other.feed(ascii(response(other, "h2c", "Upgrade", WebSocketAccept.compute(other.key())))));
    }

    @Test
    void section4_1_item3_missingConnectionUpgradeFails() {
        ClientHandshake client = client();
        failed(client.feed(ascii(response(client, "websocket", "keep-alive", WebSocketAccept.compute(client.key())))));
    }

    @Test
    void section4_1_item2and3_tokensAreCaseInsensitive() {
        ClientHandshake client = client();
        assertInstanceOf(ClientHandshake.Accepted.class,
                client.feed(ascii(response(client, "WebSocket", "upgrade", WebSocketAccept.compute(client.key())))));
    }

    @Test
    void section4_1_item6_subprotocolNotOfferedFails() {
        // Item 6: a subprotocol "that was not present in the client's handshake" MUST fail the connection.
        ClientHandshake client = client(List.of("chat"), List.of());
        String head = response(client, "websocket", "Upgrade", WebSocketAccept.compute(client.key()))
                .replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: superchat\r\n\r\n");
        failed(client.feed(ascii(head)));
    }

    @Test
    void section4_1_item5_extensionNotOfferedFails() {
        // Item 5: an extension "not present in the client's handshake" MUST fail the connection.
        ClientHandshake client = client(List.of(), List.of("permessage-deflate"));
        String head = response(client, "websocket", "Upgrade", WebSocketAccept.compute(client.key()))
                .replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n");
        failed(client.feed(ascii(head)));
    }

    @Test
    void section4_1_garbageStatusLineFailsWithStatusZero() {
        ClientHandshake client = client();
        assertEquals(0, failed(client.feed(ascii("SSH-2.0-OpenSSH_9.6\r\n\r\n"))).status());
        ClientHandshake other = client();
        assertEquals(0, failed(other.feed(ascii("HTTP/1.1 101 OK\r\nBad Header\r\n\r\n"))).status());
    }
}
