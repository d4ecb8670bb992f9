package dev.wsreactor.protocol;

import java.nio.ByteBuffer;

/**
 * The application's commands to a {@link Connection}: each send is refused (false, nothing queued) unless the
 * state may still send, a fault inside one fails the connection through the table (1011) instead of reaching the
 * caller, and data frames (not control frames) count as activity for the idle close. Stateless: it works on the
 * connection's machine, its writer and its timers, so a connection keeps no object for it.
 */
final class Outgoing {

    private Outgoing() {
    }

    static boolean text(StateMachine machine, CharSequence text) {
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            machine.writer().text(text);
            machine.timers().messageActivity();
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    static boolean binary(StateMachine machine, ByteBuffer data) {
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            machine.writer().binary(data);
            machine.timers().messageActivity();
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    /** Like {@link #binary}, with a buffer the output takes over; refused, the buffer goes back to the pool. */
    static boolean binaryKept(StateMachine machine, ByteBuffer kept, BufferPool pool) {
        if (!machine.state().acceptsMessagesToSend()) {
            pool.release(kept);
            return false;
        }
        try {
            machine.writer().binaryKept(kept); // from here on the output owns it, whatever happens
            machine.timers().messageActivity();
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    static boolean fragment(StateMachine machine, Opcode opcode, boolean fin, ByteBuffer payload) {
        FrameWriter.checkFragmentOpcode(opcode);
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            machine.writer().fragment(opcode, fin, payload);
            machine.timers().messageActivity(); // a long stream is not idle
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    /** Only a server shares frames: a client must mask each frame with its own key. */
    static boolean shared(Role role, StateMachine machine, ByteBuffer frame) {
        if (role != Role.SERVER || !machine.state().acceptsMessagesToSend()) {
            return false;
        }
        machine.writer().shared(frame);
        machine.timers().messageActivity();
        return true;
    }

    static boolean control(StateMachine machine, Opcode opcode, ByteBuffer payload) {
        FrameWriter.checkControlPayload(payload);
        if (!machine.state().acceptsMessagesToSend()) {
            return false;
        }
        try {
            machine.writer().control(opcode, payload);
            return true;
        } catch (Throwable fault) {
            machine.failInternally(fault);
            return false;
        }
    }

    static void close(StateMachine machine, CloseCode code, String reason) {
        code.checkSendable(reason);
        try {
            machine.apply(Trigger.CLOSE_SENT, code, reason);
        } catch (Throwable fault) {
            machine.failInternally(fault);
        }
    }
}
