package dev.wsreactor.conformance;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One event a case compares, as Autobahn's cases list them: a message or Pong from the server, or a wait that
 * passed with the connection still open ({@code timeout}, as in 6.4). Messages are kept by length, digest and a
 * preview, so a 16 MiB echo is compared exactly without being kept twice.
 */
record Observed(String kind, boolean binary, int length, String sha256, String preview) {

    static Observed message(byte[] payload, boolean binary) {
        return of("message", binary, payload);
    }

    static Observed pong(byte[] payload) {
        return of("pong", true, payload);
    }

    /** A wait the case made, which passed without the server closing (Autobahn's {@code ("timeout", tag)}). */
    static Observed timeout(String tag) {
        return new Observed("timeout", false, 0, "", tag);
    }

    private static Observed of(String kind, boolean binary, byte[] payload) {
        String preview = !binary && payload.length <= 64 && Utf8Cases.isValidUtf8(payload)
                ? "\"" + new String(payload, StandardCharsets.UTF_8) + "\"" : WireLog.preview(payload);
        return new Observed(kind, binary, payload.length, sha256(payload), preview);
    }

    static String sha256(byte[] payload) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "message" -> "message " + (binary ? "binary" : "text") + " (" + length + " octets) " + preview;
            case "timeout" -> "timeout " + preview;
            default -> kind + " (" + length + " octets) " + preview;
        };
    }
}
