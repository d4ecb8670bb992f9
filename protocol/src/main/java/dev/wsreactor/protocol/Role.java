package dev.wsreactor.protocol;

/** Which end of the connection we are; it decides who masks (§5.1) and who closes TCP first (§7.1.1). */
public enum Role {
    /** The endpoint that accepted the connection. */
    SERVER,
    /** The endpoint that opened the connection. */
    CLIENT;

    /**
     * {@return whether this side masks the frames it sends} §5.1: a client masks every frame it sends; a server never
     * does.
     */
    public boolean masksOutgoingFrames() {
        return this == CLIENT;
    }

    /** {@return whether this side must receive masked frames} §5.1: the opposite of what it sends. */
    public boolean expectsMaskedFrames() {
        return this == SERVER;
    }
}
