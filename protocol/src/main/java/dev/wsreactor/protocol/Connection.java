package dev.wsreactor.protocol;

import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.ExtensionOffer;
import dev.wsreactor.protocol.handshake.HttpRequest;
import dev.wsreactor.protocol.handshake.HttpResponse;
import dev.wsreactor.protocol.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * One WebSocket connection as a sans-I/O object: bytes in, events and bytes out, no sockets, threads or clocks.
 *
 * <p>The I/O layer feeds it what it reads ({@link #receive}), tells it when TCP is gone ({@link #transportClosed})
 * and when a deadline has passed ({@link #onTimer}), and the application asks it to send ({@link #sendText},
 * {@link #close}, ...). In return the connection calls its {@link ConnectionListener} with what arrived, appends
 * bytes to send to {@link #output()}, and says when TCP should be closed ({@link #shouldCloseTransport()}).
 *
 * <p>Its state changes only through the table in {@link Transitions}; the methods here apply a row and then do
 * the row's action. Two small machines run beside the table and are documented where they live: the frame
 * decoder (where in a frame and a fragmented message we are) and keepalive (whether a Ping is outstanding).
 *
 * <p>Not thread-safe: one thread (the reactor's) owns a connection.
 */
public final class Connection implements FrameListener {

    /** Returned by {@link #nextDeadlineNanos()} when no timer is running. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Role role;
    private final ConnectionConfig config;
    private final ConnectionListener listener;
    private final OutboundQueue output;
    private final Tracer tracer;
    private FrameDecoder decoder; // replaced once, when permessage-deflate allows RSV1
    private final MessageDeflater sharedDeflater;
    // permessage-deflate (RFC 7692), when negotiated: null otherwise. The codecs are created on first use.
    private PerMessageDeflate.Agreement deflate;
    private MessageInflater inflater;
    private MessageInflater.Sink inflatedSink;
    private MessageDeflater ownDeflater;
    private boolean messageCompressed;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final MessageAssembler assembler = new MessageAssembler();
    private final IntSupplier maskKeys;
    private ServerHandshake serverHandshake;
    private ClientHandshake clientHandshake;

    private ConnectionState state = ConnectionState.HANDSHAKING;
    private HttpRequest request;
    private String subprotocol;

    // The message being received: its type and whether the current frame is its last.
    private Opcode messageOpcode;
    private boolean frameIsFinal;
    private long frameBytesLeft;

    // What onClose will report.
    private CloseCode closeCode = CloseCode.ABNORMAL_CLOSURE;
    private String closeReason = "";

    // Clock readings handed in by the I/O layer (System.nanoTime() scale).
    private long now;
    private long stateEnteredAt;
    private long lastReceivedAt;
    // The keepalive machine: a Ping is outstanding from pingSentAt until any byte arrives.
    private boolean keepalivePingOutstanding;
    private long pingSentAt;

    private Connection(Role role, ConnectionConfig config, BufferPool pool, ConnectionListener listener,
            IntSupplier maskKeys, MessageDeflater sharedDeflater, long nowNanos) {
        this.role = role;
        this.sharedDeflater = sharedDeflater;
        this.config = config;
        this.listener = listener;
        this.output = new OutboundQueue(pool);
        this.tracer = config.tracer();
        this.maskKeys = maskKeys;
        this.decoder = new FrameDecoder(role, config.maxFramePayload(), config.maxMessageSize(), 0);
        this.now = nowNanos;
        this.stateEnteredAt = nowNanos;
        this.lastReceivedAt = nowNanos;
    }

    /** A server-side connection that starts by reading the client's opening handshake. */
    public static Connection server(ConnectionConfig config, BufferPool pool, ConnectionListener listener, long nowNanos) {
        return server(config, pool, listener, null, nowNanos);
    }

    /**
     * A server-side connection that compresses with a deflater it shares with other connections (the I/O layer
     * owns it; it must be used by one thread). Without one ({@code null}) the connection makes its own on demand.
     */
    public static Connection server(ConnectionConfig config, BufferPool pool, ConnectionListener listener,
            MessageDeflater sharedDeflater, long nowNanos) {
        Connection connection = new Connection(Role.SERVER, config, pool, listener, () -> 0, sharedDeflater, nowNanos);
        connection.serverHandshake = new ServerHandshake(config.handshake());
        return connection;
    }

    /**
     * A client-side connection; its opening handshake request is queued in {@link #output()} at once.
     *
     * @param maskKeys supplies a fresh masking key per frame (§5.3: unpredictable, from a strong source)
     */
    public static Connection client(ConnectionConfig config, ClientHandshake handshake, IntSupplier maskKeys,
            BufferPool pool, ConnectionListener listener, long nowNanos) {
        Connection connection = new Connection(Role.CLIENT, config, pool, listener, maskKeys, null, nowNanos);
        connection.clientHandshake = handshake;
        connection.output.append(handshake.request(), false, 0);
        return connection;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Input from the I/O layer

    /**
     * Feeds bytes read from the peer. Every byte of {@code in} is consumed: parsed, or discarded once the state no
     * longer reads input (§7.1.7: after failing, "MUST NOT continue to attempt to process data").
     */
    public void receive(ByteBuffer in, long nowNanos) {
        now = nowNanos;
        lastReceivedAt = nowNanos;
        keepalivePingOutstanding = false; // any byte from the peer shows it is alive
        if (state == ConnectionState.HANDSHAKING) {
            readHandshake(in);
        }
        if (state.readsInput() && state != ConnectionState.HANDSHAKING) {
            ProtocolViolation violation = decoder.decode(in, this);
            if (violation != null) {
                failConnection(violation);
            }
        }
        if (!state.readsInput()) {
            in.position(in.limit());
        }
    }

    /** The TCP connection is gone: the peer closed it, it broke, or the I/O layer closed it (§7.1.4). */
    public void transportClosed(long nowNanos) {
        now = nowNanos;
        Transition row = apply(Trigger.TRANSPORT_CLOSED);
        if (row.from() == ConnectionState.OPEN || row.from() == ConnectionState.CLOSING_BY_US) {
            // §7.1.5: without a Close frame the close code is 1006.
            closeCode = CloseCode.ABNORMAL_CLOSURE;
            closeReason = "";
        }
        finish(row);
    }

    /** When {@link #onTimer} next needs to run, on the {@code System.nanoTime()} scale, or {@link #NO_DEADLINE}. */
    public long nextDeadlineNanos() {
        switch (state) {
            case HANDSHAKING:
                return stateEnteredAt + config.handshakeTimeout().toNanos();
            case OPEN:
                if (config.idleTimeout().isZero()) {
                    return NO_DEADLINE;
                }
                return keepalivePingOutstanding
                        ? pingSentAt + config.pongTimeout().toNanos()
                        : lastReceivedAt + config.idleTimeout().toNanos();
            case CLOSED:
                return NO_DEADLINE;
            default:
                return stateEnteredAt + config.closeTimeout().toNanos();
        }
    }

    /** Runs the timers: call when {@link #nextDeadlineNanos()} has passed (calling early is harmless). */
    public void onTimer(long nowNanos) {
        now = nowNanos;
        long deadline = nextDeadlineNanos();
        if (deadline == NO_DEADLINE || nowNanos - deadline < 0) {
            return;
        }
        if (state == ConnectionState.OPEN && !keepalivePingOutstanding) {
            // §5.5.2: a Ping "may serve either as a keepalive or as a means to verify that the remote endpoint
            // is still responsive".
            keepalivePingOutstanding = true;
            pingSentAt = nowNanos;
            writeFrame(Opcode.PING, true, EMPTY.duplicate());
            return;
        }
        Transition row = apply(Trigger.TIMEOUT);
        switch (row.from()) {
            case OPEN -> {
                closeCode = CloseCode.INTERNAL_ERROR;
                closeReason = "keepalive timeout: no answer to Ping";
                writeClose(closeCode, closeReason);
            }
            case CLOSING_BY_US -> {
                closeCode = CloseCode.ABNORMAL_CLOSURE;
                closeReason = "no Close frame came back";
            }
            default -> {
                // HANDSHAKING: nothing to send; the closing states: TCP is simply dropped.
            }
        }
        finish(row);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Output to the I/O layer

    /** The bytes waiting to be written, in order. */
    public OutboundQueue output() {
        return output;
    }

    /**
     * Whether the I/O layer should close the TCP connection now. The server closes it first (§7.1.1) once its last
     * bytes are written; a client waits for the server to do it, unless it failed the connection itself.
     */
    public boolean shouldCloseTransport() {
        if (state == ConnectionState.CLOSED) {
            return true;
        }
        if (!state.closesTransportWhenFlushed() || !output.isEmpty()) {
            return false;
        }
        return role == Role.SERVER || state == ConnectionState.FAILING || state == ConnectionState.REJECTING;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Commands from the application

    /** Sends a text message; returns false (and sends nothing) unless the connection is OPEN. */
    public boolean sendText(CharSequence text) {
        if (!state.acceptsMessagesToSend()) {
            return false;
        }
        int length = Utf8Encoder.encodedLength(text);
        if (shouldCompress(length)) {
            ByteBuffer encoded = ByteBuffer.allocate(length);
            Utf8Encoder.encode(text, encoded);
            sendCompressed(Opcode.TEXT, encoded.flip());
            return true;
        }
        boolean masked = role.masksOutgoingFrames();
        boolean oneFrame = config.fragmentSize() == 0 || length <= config.fragmentSize();
        if (oneFrame && FrameEncoder.headerLength(length, masked) + length <= output.pool().bufferSize()) {
            // The common case: encode the characters straight into the outgoing buffer, no intermediate array.
            int maskKey = masked ? maskKeys.getAsInt() : 0;
            ByteBuffer dst = output.reserve(FrameEncoder.headerLength(length, masked) + length);
            FrameEncoder.writeHeader(dst, Opcode.TEXT, true, 0, masked, maskKey, length);
            int start = dst.position();
            Utf8Encoder.encode(text, dst);
            if (masked) {
                Masking.unmask(dst, start, dst.position(), maskKey, 0);
            }
            output.commit(dst);
            traceFrame(">>", Opcode.TEXT, true, 0, length);
            return true;
        }
        ByteBuffer encoded = ByteBuffer.allocate(length);
        Utf8Encoder.encode(text, encoded);
        sendMessage(Opcode.TEXT, encoded.flip(), 0);
        return true;
    }

    /** Sends a binary message made of {@code data}'s remaining bytes (consumed); false unless OPEN. */
    public boolean sendBinary(ByteBuffer data) {
        if (!state.acceptsMessagesToSend()) {
            return false;
        }
        if (shouldCompress(data.remaining())) {
            sendCompressed(Opcode.BINARY, data);
        } else {
            sendMessage(Opcode.BINARY, data, 0);
        }
        return true;
    }

    /** RFC 7692 §6: a message may go uncompressed even when the extension is on; small ones do. */
    private boolean shouldCompress(int length) {
        return deflate != null && length >= config.deflate().threshold();
    }

    private void sendCompressed(Opcode opcode, ByteBuffer message) {
        int windowBits = deflate.windowBitsOf(role);
        MessageDeflater deflater;
        // A small window is compressed without context (MessageDeflater), so the shared compressor serves it too.
        if (sharedDeflater != null && (ownNoContextTakeover() || windowBits < MessageDeflater.MAX_WINDOW_BITS)) {
            deflater = sharedDeflater;
        } else {
            if (ownDeflater == null) {
                ownDeflater = new MessageDeflater(config.deflate().level());
            }
            deflater = ownDeflater;
        }
        // The compressed bytes are a view of the deflater's scratch: copied into the output before its next use.
        sendMessage(opcode, deflater.compress(message, ownNoContextTakeover(), windowBits), DeflateConfig.RSV1);
    }

    /** Gives the compression codecs' native memory back as soon as the connection is closed. */
    private void releaseCodecs() {
        if (inflater != null) {
            inflater.close();
            inflater = null;
        }
        if (ownDeflater != null) {
            ownDeflater.close();
            ownDeflater = null;
        }
    }

    /**
     * Queues a complete frame encoded once for many connections (a broadcast); the buffer is shared read-only and
     * never modified. Only a server can share frames, because a client must mask each frame with its own key.
     */
    public boolean sendSharedFrame(ByteBuffer frame) {
        if (role != Role.SERVER || !state.acceptsMessagesToSend()) {
            return false;
        }
        output.addShared(frame);
        return true;
    }

    /** Sends a Ping (§5.5.2) with up to 125 bytes of payload; false unless OPEN. */
    public boolean sendPing(ByteBuffer payload) {
        return sendControl(Opcode.PING, payload);
    }

    /** Sends an unsolicited Pong (§5.5.3, a unidirectional heartbeat); false unless OPEN. */
    public boolean sendPong(ByteBuffer payload) {
        return sendControl(Opcode.PONG, payload);
    }

    /**
     * Starts the closing handshake (§7.1.2) with this code and reason. Harmless in any later state. Before the
     * handshake has completed there is nothing to close politely: TCP is simply closed.
     *
     * @param code a code that may be sent (§7.4.1: not 1005, 1006 or 1015)
     * @param reason at most 123 bytes of UTF-8 (§5.5: a control frame payload is at most 125 bytes)
     */
    public void close(CloseCode code, String reason, long nowNanos) {
        if (!code.isAllowedOnWire()) {
            throw new IllegalArgumentException("close code " + code + " may not be sent in a Close frame");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > FrameDecoder.MAX_CONTROL_PAYLOAD - 2) {
            throw new IllegalArgumentException("close reason longer than 123 bytes of UTF-8");
        }
        now = nowNanos; // the closing timer starts now
        Transition row = apply(Trigger.CLOSE_SENT);
        if (row.from() == ConnectionState.OPEN) {
            writeClose(code, reason);
        }
        finish(row);
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the connection knows

    public ConnectionState state() {
        return state;
    }

    public Role role() {
        return role;
    }

    /** The client's opening handshake request (server side), once it has been accepted or answered. */
    public HttpRequest request() {
        return request;
    }

    /** The subprotocol agreed in the opening handshake, or {@code null}. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The close code {@link ConnectionListener#onClose} reports (or will report). */
    public CloseCode closeCode() {
        return closeCode;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The opening handshake

    private void readHandshake(ByteBuffer in) {
        if (serverHandshake != null) {
            readServerHandshake(in);
        } else {
            readClientHandshake(in);
        }
    }

    private void readServerHandshake(ByteBuffer in) {
        ServerHandshake.Outcome outcome = serverHandshake.feed(in);
        if (outcome instanceof ServerHandshake.Accepted accepted) {
            request = accepted.request();
            subprotocol = accepted.subprotocol();
            output.append(accepted.response(), false, 0);
            serverHandshake = null;
            useExtensions(accepted.acceptedExtensions());
            apply(Trigger.HANDSHAKE_ACCEPTED);
            listener.onOpen();
        } else if (outcome instanceof ServerHandshake.Rejected rejected) {
            output.append(rejected.response(), false, 0);
            serverHandshake = null;
            traceLine("handshake rejected: " + rejected.status() + " " + rejected.reason());
            apply(Trigger.HANDSHAKE_REJECTED);
        } else if (outcome instanceof ServerHandshake.NotWebSocket plain) {
            request = plain.request();
            HttpResponse response = listener.onHttpRequest(plain.request());
            if (response == null) {
                response = HttpResponse.upgradeRequired();
            }
            output.append(response.encode(), false, 0);
            serverHandshake = null;
            traceLine("plain HTTP request answered with " + response.status());
            apply(Trigger.HANDSHAKE_REJECTED);
        }
        // NeedMore: wait for the rest of the request.
    }

    /** Turns on what the opening handshake agreed: today permessage-deflate only. */
    private void useExtensions(java.util.List<ExtensionOffer> agreed) {
        for (ExtensionOffer extension : agreed) {
            if (extension.name().equals(PerMessageDeflate.NAME)) {
                deflate = PerMessageDeflate.Agreement.fromResponse(extension);
                // RFC 7692 §6: RSV1 marks a compressed message, on its first frame only.
                decoder = new FrameDecoder(role, config.maxFramePayload(), config.maxMessageSize(), DeflateConfig.RSV1);
            }
        }
    }

    /** Whether this side resets its compressor after each message (RFC 7692 §7.1.1). */
    private boolean ownNoContextTakeover() {
        return role == Role.SERVER ? deflate.serverNoContextTakeover() : deflate.clientNoContextTakeover();
    }

    /** Whether the peer resets its compressor after each message, so our inflater may too. */
    private boolean peerNoContextTakeover() {
        return role == Role.SERVER ? deflate.clientNoContextTakeover() : deflate.serverNoContextTakeover();
    }

    private void readClientHandshake(ByteBuffer in) {
        ClientHandshake.Outcome outcome = clientHandshake.feed(in);
        if (outcome instanceof ClientHandshake.Accepted accepted) {
            subprotocol = accepted.subprotocol();
            clientHandshake = null;
            useExtensions(accepted.extensions());
            apply(Trigger.HANDSHAKE_ACCEPTED);
            listener.onOpen();
        } else if (outcome instanceof ClientHandshake.Failed failed) {
            clientHandshake = null;
            traceLine("handshake failed: " + failed.status() + " " + failed.reason());
            apply(Trigger.HANDSHAKE_REJECTED);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Frames from the decoder (FrameListener)

    @Override
    public ProtocolViolation onDataFrameStart(Opcode opcode, boolean fin, int rsv, long payloadLength) {
        traceFrame("<<", opcode, fin, rsv, payloadLength);
        if (opcode != Opcode.CONTINUATION) {
            messageOpcode = opcode;
            messageCompressed = (rsv & DeflateConfig.RSV1) != 0;
            utf8.reset();
            assembler.reset();
        }
        frameIsFinal = fin;
        frameBytesLeft = payloadLength;
        return null;
    }

    @Override
    public ProtocolViolation onDataPayload(ByteBuffer chunk, boolean endOfFrame) {
        boolean endOfMessage = endOfFrame && frameIsFinal;
        frameBytesLeft -= chunk.remaining();
        if (messageCompressed) {
            // RFC 7692 §7.2.2: inflate as the bytes come; the limit applies to the inflated size.
            ProtocolViolation violation = inflater().inflate(chunk, endOfMessage, config.maxMessageSize(),
                    inflatedSink);
            return violation != null || !endOfMessage ? violation : deliverInflatedMessage();
        }
        if (messageOpcode == Opcode.TEXT) {
            // §8.1: fail at the first byte that cannot be valid UTF-8, without waiting for the rest of the message.
            if (utf8.validate(chunk, chunk.position(), chunk.limit()) >= 0) {
                return ProtocolViolation.invalidPayload("text message is not valid UTF-8");
            }
            if (endOfMessage && !utf8.isComplete()) {
                return ProtocolViolation.invalidPayload("text message ends inside a UTF-8 sequence");
            }
        }
        if (endOfMessage && assembler.isEmpty()) {
            deliverMessage(chunk); // the whole message is in this chunk: no copy
        } else {
            assembler.append(chunk, frameBytesLeft);
            if (endOfMessage) {
                deliverMessage(assembler.message());
                assembler.reset();
            }
        }
        return null;
    }

    @Override
    public ProtocolViolation onControlFrame(Opcode opcode, ByteBuffer payload) {
        traceFrame("<<", opcode, true, 0, payload.remaining());
        switch (opcode) {
            case PING -> {
                if (state == ConnectionState.OPEN) {
                    // §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response",
                    // with "identical Application data".
                    writeFrame(Opcode.PONG, true, payload.duplicate());
                }
                listener.onPing(payload);
                return null;
            }
            case PONG -> {
                listener.onPong(payload);
                return null;
            }
            case CLOSE -> {
                return closeReceived(payload);
            }
            default -> throw new AssertionError(opcode);
        }
    }

    private MessageInflater inflater() {
        if (inflater == null) {
            inflater = new MessageInflater(peerNoContextTakeover());
            inflatedSink = this::acceptInflated;
        }
        return inflater;
    }

    /** Inflated bytes of the current message: checked as UTF-8 if text, then collected. */
    private ProtocolViolation acceptInflated(ByteBuffer inflated) {
        if (messageOpcode == Opcode.TEXT && utf8.validate(inflated, inflated.position(), inflated.limit()) >= 0) {
            return ProtocolViolation.invalidPayload("text message is not valid UTF-8"); // §8.1, after inflating
        }
        assembler.append(inflated, 0);
        return null;
    }

    private ProtocolViolation deliverInflatedMessage() {
        if (messageOpcode == Opcode.TEXT && !utf8.isComplete()) {
            return ProtocolViolation.invalidPayload("text message ends inside a UTF-8 sequence");
        }
        deliverMessage(assembler.message());
        assembler.reset();
        return null;
    }

    private ProtocolViolation closeReceived(ByteBuffer payload) {
        // §5.5.1: an optional 2-byte code, then an optional UTF-8 reason.
        CloseCode code;
        String reason = "";
        if (payload.remaining() == 0) {
            code = CloseCode.NO_STATUS_RECEIVED;
        } else if (payload.remaining() == 1) {
            return ProtocolViolation.protocolError("Close frame with a 1-byte payload");
        } else {
            int value = payload.getShort(payload.position()) & 0xFFFF;
            if (!CloseCode.isAllowedOnWire(value)) {
                return ProtocolViolation.protocolError("close code " + value + " may not be sent"); // §7.4
            }
            code = CloseCode.of(value);
            int from = payload.position() + 2;
            utf8.reset();
            if (utf8.validate(payload, from, payload.limit()) >= 0 || !utf8.isComplete()) {
                return ProtocolViolation.invalidPayload("close reason is not valid UTF-8"); // §5.5.1
            }
            reason = Utf8Encoder.decode(payload, from, payload.limit());
        }
        closeCode = code;
        closeReason = reason;
        decoder.stop(); // §5.5.1: nothing the peer sends after its Close is data
        Transition row = apply(Trigger.CLOSE_RECEIVED);
        if (row.from() == ConnectionState.OPEN) {
            // §5.5.1: answer with a Close, "typically echoing the status code it received"; a Close without a code
            // is answered with 1000, since 1005 may not be sent.
            writeClose(code == CloseCode.NO_STATUS_RECEIVED ? CloseCode.NORMAL_CLOSURE : code, "");
        }
        finish(row);
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The one funnel for violations

    /** §7.1.7 Fail the WebSocket Connection: send a Close with the violation's code (if none was sent yet). */
    private void failConnection(ProtocolViolation violation) {
        traceLine("protocol violation: " + violation);
        Transition row = apply(Trigger.PROTOCOL_VIOLATION);
        closeCode = violation.code();
        closeReason = violation.reason();
        if (row.from() == ConnectionState.OPEN) {
            writeClose(violation.code(), violation.reason());
        }
        assembler.reset();
        finish(row);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private Transition apply(Trigger trigger) {
        Transition row = Transitions.next(state, trigger);
        if (tracer.enabled()) {
            tracer.trace("state " + row.from() + " --" + trigger + "--> " + row.to() + "  (" + row.action() + "; "
                    + row.rfc() + ")");
        }
        if (row.to() != state) {
            state = row.to();
            stateEnteredAt = now;
        }
        return row;
    }

    /** After a row's own action: tells the application once the connection has become CLOSED. */
    private void finish(Transition row) {
        if (row.to() == ConnectionState.CLOSED && row.from() != ConnectionState.CLOSED) {
            assembler.reset();
            output.clear();
            releaseCodecs();
            if (row.from().hasOpened()) {
                listener.onClose(closeCode, closeReason);
            }
        }
    }

    private void deliverMessage(ByteBuffer message) {
        if (messageOpcode == Opcode.TEXT) {
            listener.onText(Utf8Encoder.decode(message, message.position(), message.limit()));
        } else {
            listener.onBinary(message);
        }
    }

    private boolean sendControl(Opcode opcode, ByteBuffer payload) {
        if (payload.remaining() > FrameDecoder.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload longer than 125 bytes"); // §5.5
        }
        if (!state.acceptsMessagesToSend()) {
            return false;
        }
        writeFrame(opcode, true, payload);
        return true;
    }

    private void writeClose(CloseCode code, String reason) {
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + reasonBytes.length);
        payload.putShort((short) code.value()).put(reasonBytes).flip();
        writeFrame(Opcode.CLOSE, true, payload);
    }

    /** Sends a data message, split into frames of at most {@code fragmentSize} bytes when that is set. */
    /** Sends a data message, split into fragments if configured; {@code rsv} goes on the first frame only. */
    private void sendMessage(Opcode opcode, ByteBuffer data, int rsv) {
        int fragment = config.fragmentSize();
        if (fragment == 0 || data.remaining() <= fragment) {
            writeFrame(opcode, true, rsv, data);
            return;
        }
        int limit = data.limit();
        Opcode frameOpcode = opcode;
        int frameRsv = rsv;
        while (true) {
            int end = Math.min(limit, data.position() + fragment);
            boolean last = end == limit;
            data.limit(end);
            writeFrame(frameOpcode, last, frameRsv, data);
            data.limit(limit);
            if (last) {
                return;
            }
            frameOpcode = Opcode.CONTINUATION; // §5.4: the later fragments are continuation frames
            frameRsv = 0; // RFC 7692 §6.1: RSV1 on the first frame of a message only
        }
    }

    private void writeFrame(Opcode opcode, boolean fin, ByteBuffer payload) {
        writeFrame(opcode, fin, 0, payload);
    }

    private void writeFrame(Opcode opcode, boolean fin, int rsv, ByteBuffer payload) {
        int length = payload.remaining();
        boolean masked = role.masksOutgoingFrames();
        int maskKey = masked ? maskKeys.getAsInt() : 0;
        int headerLength = FrameEncoder.headerLength(length, masked);
        if (headerLength + length <= output.pool().bufferSize()) {
            ByteBuffer dst = output.reserve(headerLength + length);
            FrameEncoder.writeHeader(dst, opcode, fin, rsv, masked, maskKey, length);
            int start = dst.position();
            dst.put(payload);
            if (masked) {
                Masking.unmask(dst, start, dst.position(), maskKey, 0);
            }
            output.commit(dst);
        } else {
            ByteBuffer dst = output.reserve(headerLength);
            FrameEncoder.writeHeader(dst, opcode, fin, rsv, masked, maskKey, length);
            output.commit(dst);
            output.append(payload, masked, maskKey);
        }
        traceFrame(">>", opcode, fin, rsv, length);
    }

    private void traceFrame(String direction, Opcode opcode, boolean fin, int rsv, long length) {
        if (tracer.enabled()) {
            tracer.trace(direction + " " + opcode + " fin=" + (fin ? 1 : 0) + " rsv=" + Integer.toBinaryString(8 | rsv).substring(1)
                    + " len=" + length);
        }
    }

    private void traceLine(String line) {
        if (tracer.enabled()) {
            tracer.trace(line);
        }
    }
}
