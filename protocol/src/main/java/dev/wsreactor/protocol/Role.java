package dev.wsreactor.protocol;

/** Which end of the connection we are; it decides who masks (§5.1) and who closes TCP first (§7.1.1). */
public enum Role {
    SERVER,
    CLIENT;

    /** §5.1: a client masks every frame it sends; a server never does. */
    public boolean masksOutgoingFrames() {
        return this == CLIENT;
    }

    /** §5.1: what we must receive is the opposite of what we send. */
    public boolean expectsMaskedFrames() {
        return this == SERVER;
    }
}
