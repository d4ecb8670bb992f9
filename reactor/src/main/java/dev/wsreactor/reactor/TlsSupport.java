package dev.wsreactor.reactor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * The TLS side of one reactor: how its engines are set up, and the memory their connections share.
 *
 * <p>Memory: the ciphertext of every read lands in one buffer owned by the loop ({@link #readBuffer}), its
 * decrypted bytes in another ({@link #appIn}), and they go
 * straight to the protocol, so, like plain TCP, a connection owns no input memory. Records to send are wrapped
 * into a third ({@link #writeBuffer}) and written at once. A connection borrows a
 * ciphertext buffer from {@link #netPool} only while it holds half a record it read or records the socket did not
 * take yet, and gives it back as soon as that is over: an idle TLS connection holds its {@link SSLEngine} and
 * nothing else.
 *
 * <p>Only the reactor thread uses it, except {@link #newEngine}'s settings, which are fixed.
 */
final class TlsSupport {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Accepts every SNI host name (the key manager picks the certificate), and so makes the engine remember the
     * name: without a matcher, the JDK resumes a session made for one name when the client asks for another, and
     * the client is served the first name's certificate (RFC 6066 §3 forbids that resumption).
     */
    private static final List<SNIMatcher> ANY_HOST_NAME = List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return true;
        }
    });

    private final SSLContext context;
    private final String[] protocols;
    private final Tls.ClientAuth clientAuth;
    /** Whether the engines are a client's, which name the server they talk to as each is made. */
    private final boolean client;
    /** Runs the engines' delegated tasks (certificate and key work) off the loop, or null: on the loop. */
    final Executor taskExecutor;
    /** Ciphertext buffers: a partial record read, or records not yet written. Two records' worth each. */
    final DirectBufferPool netPool;
    /** The largest TLS record the engines produce or accept, from their session. */
    final int packetSize;
    /** The most plaintext one record unwraps to, from the engines' session. */
    int appSize;
    /** Decrypted bytes of the read in progress, handed to the protocol before the next connection's turn. */
    ByteBuffer appIn;
    /** Ciphertext of the read in progress (the half record a connection kept first, then the socket's bytes). */
    final ByteBuffer readBuffer;
    /** Records of the write in progress; what the socket does not take moves to a pooled buffer. */
    ByteBuffer writeBuffer;

    TlsSupport(TlsSettings settings) {
        this(settings, false);
    }

    /**
     * A client's, for every server its connections on one loop talk to through {@code context}: the buffers are
     * the loop's, the server is each engine's ({@link #newEngine(ClientTarget)}).
     */
    TlsSupport(SSLContext context) {
        this(new TlsSettings(context, Tls.ClientAuth.NONE, null, null), true);
    }

    private TlsSupport(TlsSettings settings, boolean client) {
        this.client = client;
        this.context = settings.context();
        this.clientAuth = settings.clientAuth();
        this.taskExecutor = settings.taskExecutor();
        this.protocols = protocols(context);
        SSLEngine probe = context.createSSLEngine();
        probe.setUseClientMode(client);
        this.packetSize = probe.getSession().getPacketBufferSize();
        this.appSize = probe.getSession().getApplicationBufferSize();
        this.netPool = new DirectBufferPool(2 * packetSize, 256, false);
        this.appIn = allocate(64 * 1024 + appSize);
        this.readBuffer = allocate(64 * 1024);
        this.writeBuffer = allocate(netPool.bufferSize());
    }

    /** TLS 1.3 and 1.2, as far as the context supports them; refuses a context that supports neither. */
    static String[] protocols(SSLContext context) {
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        List<String> chosen = new ArrayList<>();
        for (String protocol : Tls.PROTOCOLS) {
            if (supported.contains(protocol)) {
                chosen.add(protocol);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("the SSLContext supports neither TLS 1.3 nor TLS 1.2");
        }
        return chosen.toArray(new String[0]);
    }

    /**
     * An engine: TLS 1.3 and 1.2 only, the JDK's default (secure) cipher suites, ALPN {@code http/1.1}; a server's
     * asks for client certificates as configured, a client's sends SNI for {@code server} and verifies its name as
     * HTTPS does (RFC 2818).
     *
     * @param server the server a client's engine talks to; null for a server's engine
     */
    SSLEngine newEngine(ClientTarget server) {
        if (client != (server != null)) {
            throw new IllegalArgumentException(client ? "a client's engine needs its server" : "a server's has none");
        }
        SSLEngine engine = client ? context.createSSLEngine(server.bareHost(), server.port())
                : context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        if (client) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // hostname verification, on for every client
        } else {
            parameters.setSNIMatchers(ANY_HOST_NAME);
        }
        parameters.setProtocols(protocols);
        parameters.setApplicationProtocols(Tls.APPLICATION_PROTOCOLS);
        switch (clientAuth) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            default -> parameters.setWantClientAuth(false);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A bigger {@link #appIn}, when a session announces larger records than the first one did. */
    ByteBuffer growAppIn(int applicationBufferSize) {
        appSize = Math.max(appSize, applicationBufferSize);
        appIn = allocate(Math.max(appIn.capacity() * 2, 64 * 1024 + appSize));
        return appIn;
    }

    /** A bigger {@link #writeBuffer}, empty, when a session announces larger records than the first one did. */
    ByteBuffer growWriteBuffer(int packetBufferSize) {
        writeBuffer = allocate(Math.max(writeBuffer.capacity() * 2, packetBufferSize));
        return writeBuffer;
    }

    /**
     * Heap buffers throughout: the JDK's SSLEngine encrypts and decrypts heap arrays markedly faster than direct
     * buffers (about half the reactor's CPU per small echo here), which outweighs the copy the socket then makes
     * through its own direct buffer.
     */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size);
    }

    /** CPU time of the calling thread (wall time where the JVM cannot measure CPU time). */
    static long cpuNanos() {
        long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        return cpu >= 0 ? cpu : System.nanoTime();
    }
}
