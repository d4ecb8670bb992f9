package dev.wsreactor.bench.micro;

import dev.wsreactor.protocol.internal.handshake.ServerHandshake;
import dev.wsreactor.protocol.handshake.ServerHandshakeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server's opening handshake: a new {@link ServerHandshake} (one per connection) fed a browser's upgrade
 * request, parsed, checked and answered with the 101 response. Whole, and in three pieces as a slow network
 * might deliver it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HandshakeBenchmark {

    /** What Chrome sends when a page opens a WebSocket (the User-Agent of a desktop Linux build). */
    static final String CHROME_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: example.com:8080\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: http://example.com:8080\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n";

    private final ServerHandshakeConfig config = ServerHandshakeConfig.defaults();
    private ByteBuffer whole;
    private ByteBuffer[] pieces;

    @Setup
    public void setUp() {
        byte[] request = CHROME_REQUEST.getBytes(StandardCharsets.US_ASCII);
        whole = ByteBuffer.wrap(request);
        pieces = ClientFrames.split(request, 3);
        ServerHandshake.Outcome outcome = new ServerHandshake(config).feed(whole.duplicate());
        if (!(outcome instanceof ServerHandshake.Accepted)) {
            throw new IllegalStateException("the request is not accepted: " + outcome);
        }
    }

    @Benchmark
    public ServerHandshake.Outcome whole() {
        whole.position(0);
        return new ServerHandshake(config).feed(whole);
    }

    @Benchmark
    public ServerHandshake.Outcome threePieces() {
        ServerHandshake handshake = new ServerHandshake(config);
        ServerHandshake.Outcome outcome = null;
        for (ByteBuffer piece : pieces) {
            piece.position(0);
            outcome = handshake.feed(piece);
        }
        return outcome;
    }
}
