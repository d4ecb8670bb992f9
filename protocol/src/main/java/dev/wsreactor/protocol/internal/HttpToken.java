package dev.wsreactor.protocol.internal;

/**
 * RFC 9110 §5.6.2's {@code tchar}, the characters of a header name, a method, and a token in a field value: one
 * table for every parser and check that needs it.
 */
public final class HttpToken {

    private static final boolean[] TOKEN_CHAR = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray()) {
            TOKEN_CHAR[c] = true;
        }
    }

    private HttpToken() {
    }

    /**
     * Whether {@code c} is a {@code tchar}.
     *
     * @param c a character, or a byte read as an unsigned value
     * @return true for a letter or digit of ASCII, or one of {@code !#$%&'*+-.^_`|~}
     */
    public static boolean isTokenChar(int c) {
        return c >= 0 && c < TOKEN_CHAR.length && TOKEN_CHAR[c];
    }

    /**
     * Whether {@code text} is a token: one {@code tchar} or more.
     *
     * @param text the text
     * @return true when it is not empty and every character is a {@code tchar}
     */
    public static boolean isToken(CharSequence text) {
        return !text.isEmpty() && text.chars().allMatch(HttpToken::isTokenChar);
    }
}
