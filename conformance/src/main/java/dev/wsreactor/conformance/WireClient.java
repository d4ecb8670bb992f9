package dev.wsreactor.conformance;

import dev.wsreactor.protocol.DeflateConfig;
import dev.wsreactor.protocol.internal.FrameDecoder;
import dev.wsreactor.protocol.internal.FrameEncoder;
import dev.wsreactor.protocol.internal.FrameListener;
import dev.wsreactor.protocol.internal.Masking;
import dev.wsreactor.protocol.Opcode;
import dev.wsreactor.protocol.internal.PerMessageDeflate;
import dev.wsreactor.protocol.internal.ProtocolViolation;
import dev.wsreactor.protocol.Role;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The harness's client: a blocking socket that writes exactly the bytes a case asks for (legal or not, whole or
 * chopped) and reads the server's frames through the protocol module's own decoder in the client role, so a
 * server that breaks the rules towards the client is caught too.
 */
final class WireClient implements AutoCloseable {

    /** Something that arrived from the server. */
    sealed interface Event permits Frame, TcpClosed, Violation {
    }

    /** One frame; data frames are reported frame by frame, the case assembles messages. */
    record Frame(Opcode opcode, boolean fin, int rsv, byte[] payload) implements Event {
    }

    /** The server closed TCP (end of stream or reset). */
    record TcpClosed(String how) implements Event {
    }

    /** The server sent bytes our decoder rejects: the server broke the protocol. */
    record Violation(ProtocolViolation violation) implements Event {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Autobahn's _QUEUED_WRITE_DELAY: between two queued writes its client returns to its event loop. */
    private static final long QUEUED_WRITE_DELAY_NANOS = 10_000;
    /** How long connecting and the opening handshake may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final WireLog log;
    /** CLIENT against a server under test; SERVER (the client mode) against a client under test. */
    private final Role role;
    private FrameDecoder decoder;
    /** The server role's rewriting of what the cases write; null for the client role. */
    private final MaskFlip flip;
    /** The server's answer to our permessage-deflate offer, or null if it accepted none. */
    private PerMessageDeflate.Agreement deflate;
    private final ArrayDeque<Event> pending = new ArrayDeque<>();
    private final byte[] readChunk = new byte[64 * 1024];
    private boolean tcpClosed;
    private long bytesSent;

    private WireClient(Socket socket, WireLog log, Role role) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.log = log;
        this.role = role;
        this.flip = role == Role.SERVER ? new MaskFlip() : null;
        this.decoder = new FrameDecoder(role, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, 0);
    }

    /**
     * The server's side of a connection whose handshake was answered: every frame a case writes leaves with its
     * masking flipped (§5.1: a server does not mask), and the client's frames must come masked.
     *
     * @param deflate the permessage-deflate agreement the answer made, or null
     * @param early bytes read after the request head (the client's first frames)
     */
    static WireClient accepted(Socket socket, WireLog log, PerMessageDeflate.Agreement deflate, ByteBuffer early)
            throws IOException {
        WireClient server = new WireClient(socket, log, Role.SERVER);
        server.deflate = deflate;
        if (deflate != null) {
            server.decoder = new FrameDecoder(Role.SERVER, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, DeflateConfig.RSV1);
        }
        server.decode(early);
        return server;
    }

    /** Which side of the connection the harness is. */
    Role role() {
        return role;
    }

    /** Whether the peer resets its compressor after each message (so our inflater may too). */
    boolean peerNoContextTakeover() {
        return role == Role.CLIENT ? deflate.serverNoContextTakeover() : deflate.clientNoContextTakeover();
    }

    /** Whether we must reset our compressor after each message. */
    boolean ownNoContextTakeover() {
        return role == Role.CLIENT ? deflate.clientNoContextTakeover() : deflate.serverNoContextTakeover();
    }

    /** Connects to a ws:// URL and completes the opening handshake, or throws. */
    static WireClient connect(URI url, WireLog log, Duration timeout, String extensionOffer) throws IOException {
        return connect(url, log, timeout, extensionOffer, null);
    }

    /**
     * Connects to a ws:// or wss:// URL and completes the opening handshake, or throws. For wss://, the TLS
     * handshake runs first with {@code tls} (null: the JDK's default context); every write of a case then goes
     * out as TLS records of its own, so a chopped write reaches the server as many small records.
     */
    static WireClient connect(URI url, WireLog log, Duration timeout, String extensionOffer, SSLContext tls)
            throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true); // chopped writes must leave as separate segments where TCP allows
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        if ("wss".equalsIgnoreCase(url.getScheme())) {
            socket = startTls(socket, url, tls, log);
        }
        WireClient client = new WireClient(socket, log, Role.CLIENT);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        ClientHandshake handshake = new ClientHandshake(url.getHost() + ":" + url.getPort(), path, List.of(),
                extensionOffer == null ? List.of() : List.of(extensionOffer), new HttpHeaders(), RANDOM);
        ByteBuffer request = handshake.request();
        byte[] bytes = new byte[request.remaining()];
        request.get(bytes);
        client.out.write(bytes);
        client.out.flush();
        log.note("TX opening handshake (" + bytes.length + " octets)");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (true) {
            int n = client.in.read(client.readChunk);
            if (n < 0) {
                throw new IOException("the server closed the connection during the opening handshake");
            }
            seen.write(client.readChunk, 0, n);
            ByteBuffer input = ByteBuffer.wrap(client.readChunk, 0, n);
            ClientHandshake.Outcome outcome = handshake.feed(input);
            if (outcome instanceof ClientHandshake.Failed failed) {
                throw new IOException("opening handshake failed: " + failed.status() + " " + failed.reason());
            }
            if (outcome instanceof ClientHandshake.Accepted accepted) {
                log.note("RX 101 Switching Protocols" + (accepted.extensions().isEmpty() ? ""
                        : "; extensions: " + accepted.extensions().get(0).toHeaderValue()));
                for (ExtensionOffer extension : accepted.extensions()) {
                    if (extension.name().equals(PerMessageDeflate.NAME)) {
                        client.deflate = PerMessageDeflate.Agreement.fromResponse(extension);
                        client.decoder = new FrameDecoder(Role.CLIENT, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2,
                                DeflateConfig.RSV1);
                    }
                }
                if (input.hasRemaining()) {
                    client.decode(input); // frames that came in the same read as the response
                }
                return client;
            }
        }
    }

    private static SSLSocket startTls(Socket socket, URI url, SSLContext tls, WireLog log) throws IOException {
        SSLContext context = tls;
        if (context == null) {
            try {
                context = SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException e) {
                socket.close();
                throw new IOException("no default TLS context", e);
            }
        }
        SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(socket, url.getHost(), url.getPort(),
                true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        try {
            secure.startHandshake();
        } catch (IOException e) {
            secure.close();
            throw new IOException("TLS handshake failed: " + e.getMessage(), e);
        }
        log.note("TLS " + secure.getSession().getProtocol() + " " + secure.getSession().getCipherSuite()
                + ", ALPN " + secure.getApplicationProtocol());
        return secure;
    }

    PerMessageDeflate.Agreement deflate() {
        return deflate;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** Encodes one masked frame (or an unmasked one, to break the rules) into bytes. */
    static byte[] encode(int opcodeBits, boolean fin, int rsv, boolean masked, byte[] payload) {
        int maskKey = masked ? RANDOM.nextInt() | 1 : 0;
        ByteBuffer frame = ByteBuffer.allocate(FrameEncoder.headerLength(payload.length, masked) + payload.length);
        FrameEncoder.writeHeader(frame, opcodeBits, fin, rsv, masked, maskKey, payload.length);
        int start = frame.position();
        frame.put(payload);
        if (masked) {
            Masking.unmask(frame, start, frame.position(), maskKey, 0);
        }
        return frame.array();
    }

    /**
     * Writes the bytes in chops of at most {@code chop} octets (0: all at once). As Autobahn's client queues
     * chops, each chop is flushed on its own and followed by a short pause (its queued-write delay, 10 µs) before
     * the next, so they leave as separate TCP segments.
     */
    void write(byte[] frames, int chop) throws IOException {
        byte[] bytes = flip != null ? flip.flip(frames) : frames;
        if (chop <= 0 || chop >= bytes.length) {
            out.write(bytes);
            out.flush();
        } else {
            for (int at = 0; at < bytes.length; at += chop) {
                writeChop(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chop)));
            }
            return;
        }
        bytesSent += bytes.length;
    }

    /** Autobahn's {@code sync=True}: these bytes in a write of their own, then the queued-write pause. */
    void writeSynchronously(byte[] frames) throws IOException {
        writeChop(flip != null ? flip.flip(frames) : frames);
    }

    private void writeChop(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesSent += bytes.length;
        LockSupport.parkNanos(QUEUED_WRITE_DELAY_NANOS);
    }

    /**
     * The next event, waiting at most {@code timeout}; {@code null} if nothing came in time. After TCP closed
     * every call returns a {@link TcpClosed}.
     */
    Event next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean looked = false; // even with no time left, look once at what has already arrived
        while (pending.isEmpty()) {
            if (tcpClosed) {
                return new TcpClosed("closed");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 && looked) {
                return null;
            }
            looked = true;
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(readChunk);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                tcpClosed = true;
                pending.add(new TcpClosed("reset: " + e.getMessage()));
                break;
            }
            if (n < 0) {
                tcpClosed = true;
                pending.add(new TcpClosed("end of stream"));
                break;
            }
            decode(ByteBuffer.wrap(readChunk, 0, n));
        }
        Event event = pending.poll();
        log.received(event);
        return event;
    }

    boolean isTcpClosed() {
        return tcpClosed && pending.isEmpty();
    }

    private void decode(ByteBuffer input) {
        if (decoder.hasFailed()) {
            return;
        }
        ProtocolViolation violation = decoder.decode(input, collector);
        if (violation != null) {
            pending.add(new Violation(violation));
        }
    }

    private final FrameListener collector = new FrameListener() {
        private Opcode opcode;
        private boolean fin;
        private int rsv;
        private ByteArrayOutputStream payload = new ByteArrayOutputStream();

        @Override
        public ProtocolViolation onDataFrameStart(Opcode frameOpcode, boolean frameFin, int frameRsv, long length) {
            opcode = frameOpcode;
            fin = frameFin;
            rsv = frameRsv;
            payload = new ByteArrayOutputStream((int) Math.min(length, 1 << 20));
            if (length == 0) {
                pending.add(new Frame(opcode, fin, rsv, new byte[0]));
                payload = null;
            }
            return null;
        }

        @Override
        public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
            if (payload == null) {
                return null; // the empty frame was reported at its start
            }
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            payload.writeBytes(bytes);
            if (endOfFrame) {
                pending.add(new Frame(opcode, fin, rsv, payload.toByteArray()));
                payload = null;
            }
            return null;
        }

        @Override
        public ProtocolViolation onControlFrame(Opcode controlOpcode, ByteBuffer controlPayload) {
            byte[] bytes = new byte[controlPayload.remaining()];
            controlPayload.get(bytes);
            pending.add(new Frame(controlOpcode, true, 0, bytes));
            return null;
        }
    };

    /** Closes TCP from this side; what was read before still comes out of {@link #next}, then a TcpClosed. */
    @Override
    public void close() {
        tcpClosed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do with a socket we are done with.
        }
    }
}
