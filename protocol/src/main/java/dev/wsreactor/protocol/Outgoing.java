package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * The application's commands to a {@link Connection}: each send is refused (false, nothing queued) unless the
 * state may still send, a fault inside one fails the connection through the table (1011) instead of reaching the
 * caller, and data frames (not control frames) count as activity for the idle close.
 */
final class Outgoing {

    private final Role role;
    private final StateMachine machine;
    private final FrameWriter writer;
    private final Timers timers;

    Outgoing(Role role, StateMachine machine, FrameWriter writer, Timers timers) {
        this.role = role;
        this.machine = machine;
        this.writer = writer;
        this.timers = timers;
    }

    boolean text(CharSequence text) {
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            writer.text(text);
            timers.messageActivity();
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    boolean binary(ByteBuffer data) {
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            writer.binary(data);
            timers.messageActivity();
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    /** Like {@link #binary}, with a buffer the output takes over; refused, the buffer goes back to the pool. */
    boolean binaryKept(ByteBuffer kept, BufferPool pool) {
        if (!machine.state().acceptsMessagesToSend()) {
            pool.release(kept);
            return false;
        }
        try {
            writer.binaryKept(kept); // from here on the output owns it, whatever happens
            timers.messageActivity();
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    boolean fragment(Opcode opcode, boolean fin, ByteBuffer payload) {
        FrameWriter.checkFragmentOpcode(opcode);
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            writer.fragment(opcode, fin, payload);
            timers.messageActivity(); // a long stream is not idle
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    /** Only a server shares frames: a client must mask each frame with its own key. */
    boolean shared(ByteBuffer frame) {
        if (role != Role.SERVER || !machine.state().acceptsMessagesToSend()) {
            return false;
        }
        writer.shared(frame);
        timers.messageActivity();
        return true;
    }

    boolean control(Opcode opcode, ByteBuffer payload) {
        FrameWriter.checkControlPayload(payload);
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            writer.control(opcode, payload);
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    void close(CloseCode code, String reason) {
        code.checkSendable(reason);
        try {
            machine.apply(Trigger.CLOSE_SENT, code, reason);
        } catch (Throwable fault) {
            machine.failInternally(fault);
        }
    }
}
