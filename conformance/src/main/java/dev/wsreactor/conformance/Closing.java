package dev.wsreactor.conformance;

/**
 * How a case's connection ended, in the flags Autobahn's client protocol keeps and judges the close by.
 *
 * @param closedByMe the harness sent the first Close frame (it started the closing handshake)
 * @param failedByMe the harness failed the connection (the server broke the protocol, or a timer ran out)
 * @param droppedByMe the harness closed TCP; a server is expected to close it first (RFC 6455 §7.1.1)
 * @param wasClean Close frames went both ways and the server then closed TCP
 * @param wasNotCleanReason when not clean, why
 * @param remoteCloseCode the code in the server's Close frame, or null if it sent none (or none with a code)
 * @param remoteCloseReason the reason in the server's Close frame
 */
record Closing(boolean closedByMe, boolean failedByMe, boolean droppedByMe, boolean wasClean,
        String wasNotCleanReason, Integer remoteCloseCode, String remoteCloseReason) {

    /** Who started the close, for the reports: "client", "server", or "tcp" when nobody sent a Close. */
    String closedBy() {
        if (closedByMe) {
            return "client";
        }
        return remoteCloseCode != null || wasClean ? "server" : "tcp";
    }
}
