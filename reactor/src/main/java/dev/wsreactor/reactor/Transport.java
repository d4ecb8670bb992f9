package dev.wsreactor.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * What sits between one connection's socket and its protocol object: plain TCP passes the bytes through, TLS
 * decrypts what it reads and encrypts what it writes. The protocol never knows which one it has.
 *
 * <p>Everything here runs on the loop's thread. The {@link SocketDriver} decides when to read, write and close;
 * a transport only moves bytes and says how it went. Reading never writes application data, and writing never
 * reads: where TLS must stop unwrapping until a handshake message is out, it says so
 * ({@link #inputAwaitsWrite}) and the driver resumes the input itself.
 */
interface Transport {

    /** {@link #read}: the connection is finished (end of stream, reset, or a TLS failure); release it. */
    int EOF = -1;
    /** {@link #read}: the socket has nothing more to read for now. */
    int DRAINED = 0;
    /** {@link #read}: the read filled the buffer, so the socket may have more. */
    int MORE = 1;

    /** {@link #write} and {@link #shutdownOutput}: the connection is broken; release it. */
    int FAILED = -1;
    /** {@link #write}: nothing is left to write; {@link #shutdownOutput}: our side is closed (FIN sent). */
    int DONE = 0;
    /** {@link #write} and {@link #shutdownOutput}: the socket did not take everything; wait for OP_WRITE. */
    int PENDING = 1;

    /**
     * Reads once from the socket and hands every byte of the application's data to the protocol. Returns
     * {@link #EOF}, {@link #DRAINED} or {@link #MORE}.
     */
    int read(long nowNanos);

    /**
     * One read from the socket into {@code buffer}, counted in {@link Counter#BYTES_READ}: how many bytes came, or
     * {@link #EOF} at the end of the stream or on a reset, which are the same for us. Every transport reads this way.
     */
    static int readSocket(SocketChannel channel, ByteBuffer buffer, Counters counters) {
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            return EOF;
        }
        if (n < 0) {
            return EOF;
        }
        counters.add(Counter.BYTES_READ, n);
        return n;
    }

    /**
     * Goes on with input the transport kept aside (TLS: after a handshake task ran elsewhere, or once a handshake
     * message that had to go first is out). Returns {@link #EOF} or {@link #DRAINED}.
     */
    int resumeInput(long nowNanos);

    /**
     * Takes bytes a layer in front of it already read from the socket (what followed a PROXY header) as if it had
     * read them itself; the buffer is the caller's again on return. Returns {@link #EOF} or {@link #DRAINED}.
     */
    int receiveRead(ByteBuffer bytes, long nowNanos);

    /** Whether kept input waits for the last write to finish: then, after a write, call {@link #resumeInput}. */
    boolean inputAwaitsWrite();

    /** Writes what the protocol queued (for TLS: encrypted first). Returns {@link #FAILED}, {@link #DONE} or {@link #PENDING}. */
    int write();

    /** Whether anything is waiting to be written: the protocol's output, or bytes of the transport's own. */
    boolean hasOutput();

    /** Bytes accepted for sending and not yet written to the socket (what backpressure looks at). */
    long pendingBytes();

    /** How far the protocol's output is on the socket, on {@code OutboundQueue.writtenTotal()}'s scale. */
    long writtenPosition();

    /** Of {@link #pendingBytes}, those held in memory of this connection's own (not shared with others). */
    long ownedBytes();

    /**
     * Closes our sending side once everything queued is out: for TLS, a close_notify alert first, then the TCP
     * FIN. Returns {@link #FAILED}, {@link #DONE} (the FIN is sent), or {@link #PENDING} (call again after a write).
     */
    int shutdownOutput();

    /** Whether the socket must not be read for now (a TLS handshake task is running elsewhere). */
    boolean readBlocked();

    /** Gives back every buffer the transport holds; the socket itself is closed by the driver. */
    void release();

    /** The TLS session once the handshake is done, or null (plain TCP, or still handshaking). */
    default javax.net.ssl.SSLSession tlsSession() {
        return null;
    }
}
