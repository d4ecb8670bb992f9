package dev.wsreactor.protocol.internal;

/**
 * Who the client is according to the forwarding headers of a request that came through a trusted proxy
 * ({@link ForwardedHeaders#resolve}).
 *
 * @param verdict whether the headers named a client
 * @param address the client's 4 or 16 address bytes when {@link Verdict#FORWARDED}, otherwise {@code null}
 * @param port the client's port when the headers gave one, otherwise 0
 * @param scheme {@code "ws"} or {@code "wss"} when the headers said which one the client used, otherwise
 *     {@code null} (then the connection's own scheme holds)
 * @param problem why the headers were ignored when {@link Verdict#IGNORED}, otherwise {@code null}
 */
public record ForwardedClient(Verdict verdict, byte[] address, int port, String scheme, String problem) {

    /** What the headers amount to. */
    public enum Verdict {
        /** No {@code Forwarded} or {@code X-Forwarded-For}: the socket's address is the client's. */
        NOT_FORWARDED,
        /** The headers name the client: {@link #address()}. */
        FORWARDED,
        /** The headers are malformed, or the chain stops at an unknown or obfuscated node: use the socket's address. */
        IGNORED
    }

    static ForwardedClient notForwarded(String scheme) {
        return new ForwardedClient(Verdict.NOT_FORWARDED, null, 0, scheme, null);
    }

    static ForwardedClient ignored(String problem) {
        return new ForwardedClient(Verdict.IGNORED, null, 0, null, problem);
    }
}
