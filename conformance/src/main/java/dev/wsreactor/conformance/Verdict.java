package dev.wsreactor.conformance;

/**
 * The verdicts, with the Autobahn testsuite's meanings, ordered from best to worst so two can be combined by
 * taking the worse.
 */
enum Verdict {
    /** The server behaved exactly as the RFC asks. */
    OK("OK"),
    /** Allowed, but not the strictest reading (for example failing a bad message later than at its first byte). */
    NON_STRICT("NON-STRICT"),
    /** Behaviour the RFC leaves open; recorded, never a failure. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The server does not implement what the case tests (an extension, say). */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    /** The server broke the RFC. */
    FAILED("FAILED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The name used in reports, as Autobahn writes it. */
    String label() {
        return label;
    }

    static Verdict fromLabel(String label) {
        for (Verdict verdict : values()) {
            if (verdict.label.equals(label)) {
                return verdict;
            }
        }
        throw new IllegalArgumentException("unknown verdict: " + label);
    }

    Verdict worse(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** Whether a run with this verdict should fail a build. */
    boolean failsTheRun() {
        return this == FAILED || this == UNIMPLEMENTED;
    }
}
