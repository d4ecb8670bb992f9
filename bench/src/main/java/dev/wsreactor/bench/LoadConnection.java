package dev.wsreactor.bench;

import dev.wsreactor.protocol.CloseCode;
import dev.wsreactor.protocol.Connection;
import dev.wsreactor.protocol.ConnectionListener;
import dev.wsreactor.protocol.ConnectionState;
import dev.wsreactor.protocol.OutboundQueue;
import dev.wsreactor.protocol.handshake.ClientHandshake;
import dev.wsreactor.protocol.handshake.HttpHeaders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One {@link LoadGenerator} connection: its socket under the protocol module's client role, and the messages it
 * has in flight (a ring of send times and sequence numbers, so each echo is checked in order).
 */
final class LoadConnection implements ConnectionListener {
    final LoadWorker worker;
    final SocketChannel channel;
    SelectionKey key;
    Connection protocol;
    final long[] sentAt;
    final long[] sentSeq;
    int inFlight;
    int head;
    long nextSeq;
    long connectStartedAt;
    boolean opened;

    LoadConnection(LoadWorker worker, SocketChannel channel) {
        this.worker = worker;
        this.channel = channel;
        this.sentAt = new long[Math.max(1, worker.options.depth())];
        this.sentSeq = new long[sentAt.length];
        this.connectStartedAt = System.nanoTime();
    }

    /** The selector's dispatch: finish the connect and send the handshake, or write, or read. */
    void ready(SelectionKey k) {
        try {
            if (k.isConnectable()) {
                channel.finishConnect();
                LoadOptions o = worker.options;
                ClientHandshake handshake = new ClientHandshake(o.host() + ":" + o.port(), o.path(), List.of(),
                        o.deflate() ? List.of("permessage-deflate; client_max_window_bits") : List.of(),
                        new HttpHeaders(), worker.keys);
                protocol = Connection.client(worker.config, handshake, worker.random::nextInt, worker.pool, this,
                        worker.now);
                key.interestOps(SelectionKey.OP_READ);
                flush();
                return;
            }
            if (k.isWritable()) {
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                ByteBuffer buffer = worker.readBuffer;
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    gone();
                    return;
                }
                if (worker.measuring()) {
                    worker.tally.bytesIn += n;
                }
                protocol.receive(buffer.flip(), worker.now);
                flush();
                if (protocol.shouldCloseTransport()) {
                    gone();
                }
            }
        } catch (IOException e) {
            worker.tally.errors++;
            gone();
        }
    }

    /** Writes what the protocol has queued, and asks for OP_WRITE only while some of it is left. */
    void flush() throws IOException {
        OutboundQueue output = protocol.output();
        if (output.isEmpty()) {
            if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                key.interestOps(SelectionKey.OP_READ);
            }
            return;
        }
        long written = channel.write(output.readableBuffers(), 0, output.readableCount());
        output.afterWrite();
        if (worker.measuring()) {
            worker.tally.bytesOut += written;
        }
        key.interestOps(output.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    private void gone() {
        if (!opened) {
            worker.tally.handshakeFailures++;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
        if (protocol != null && protocol.state() != ConnectionState.CLOSED) {
            protocol.transportClosed(worker.now);
        }
        if (worker.options.mode().equals("connect") && worker.now - worker.measureUntil < 0) {
            try {
                worker.open(); // the slot starts again
            } catch (IOException e) {
                worker.tally.errors++;
            }
        }
    }

    @Override
    public void onOpen() {
        opened = true;
        worker.openCount++;
        if (worker.measuring()) {
            worker.tally.handshakes++;
            if (worker.options.mode().equals("connect")) {
                worker.tally.latency.record(System.nanoTime() - connectStartedAt);
            }
        }
        switch (worker.options.mode()) {
            case "connect" -> protocol.close(CloseCode.NORMAL_CLOSURE, "", worker.now);
            case "echo" -> {
                for (int i = 0; i < worker.options.depth(); i++) {
                    send();
                }
            }
            default -> {
                // idle: just stay open
            }
        }
    }

    private void send() {
        long seq = nextSeq++;
        int slot = (head + inFlight) % sentAt.length;
        sentAt[slot] = System.nanoTime();
        sentSeq[slot] = seq;
        inFlight++;
        byte[] payload = worker.filler;
        stamp(payload, seq);
        if (worker.options.binary()) {
            protocol.sendBinary(ByteBuffer.wrap(payload));
        } else {
            protocol.sendText(new String(payload, StandardCharsets.ISO_8859_1));
        }
    }

    /** The sequence number in the first 8 bytes (hex digits for text), so the echo can be checked in order. */
    private static void stamp(byte[] payload, long seq) {
        for (int i = 0; i < Math.min(8, payload.length); i++) {
            payload[i] = (byte) "0123456789abcdef".charAt((int) (seq >>> (4 * (7 - i))) & 0xF);
        }
    }

    private void echoed(ByteBuffer data) {
        if (inFlight == 0) {
            worker.tally.errors++;
            return;
        }
        long expectedSeq = sentSeq[head];
        long latency = System.nanoTime() - sentAt[head];
        head = (head + 1) % sentAt.length;
        inFlight--;
        byte[] expected = worker.filler.clone();
        stamp(expected, expectedSeq);
        if (!data.equals(ByteBuffer.wrap(expected))) {
            worker.tally.errors++; // wrong bytes, or out of order
        }
        if (worker.measuring()) {
            worker.tally.messages++;
            worker.tally.latency.record(latency);
        }
        if (worker.now - worker.measureUntil < 0) {
            send();
        }
    }

    @Override
    public void onText(String text) {
        if (worker.options.mode().equals("fanout")) {
            worker.viewerReceived(text);
            return;
        }
        echoed(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Override
    public void onBinary(ByteBuffer data) {
        echoed(data);
    }

    @Override
    public void onClose(CloseCode code, String reason) {
        if (!worker.options.mode().equals("connect")) {
            worker.tally.closedByServer++;
        }
    }
}
