package dev.wsreactor.conformance;

/**
 * How the connection was closed, in the Autobahn testsuite's words: its report shows this beside the case's
 * verdict, and only some cases (7.x) let it change the verdict.
 */
enum CloseVerdict {
    /** "Connection was properly closed". */
    OK("OK"),
    /** The server did not close TCP and the client had to (Autobahn: "It is preferred that the server close"). */
    FAILED_BY_CLIENT("FAILED BY CLIENT"),
    /** The server's close code is not one the case allows. */
    WRONG_CODE("WRONG CODE"),
    /** The case requires a clean closing handshake and there was none. */
    UNCLEAN("UNCLEAN"),
    /** The close is recorded, never judged. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The connection was failed by the wrong endpoint. */
    FAILED("FAILED");

    private final String label;

    CloseVerdict(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static CloseVerdict fromLabel(String label) {
        for (CloseVerdict verdict : values()) {
            if (verdict.label.equals(label)) {
                return verdict;
            }
        }
        throw new IllegalArgumentException("unknown close verdict: " + label);
    }
}
