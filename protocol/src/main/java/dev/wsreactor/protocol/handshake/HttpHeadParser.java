package dev.wsreactor.protocol.handshake;

import dev.wsreactor.protocol.internal.HttpToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an HTTP/1.1 message head (start line and header fields, up to the empty line; RFC 9112 §2.1) from bytes
 * that arrive in any pieces. It consumes exactly the head and leaves whatever follows in the input buffer: a client
 * may send its first WebSocket frame in the same packet as its request.
 *
 * <p>It keeps its own copy of the head so far, never more than {@code maxHeadBytes}; the input buffers are the
 * caller's and are only read during {@link #feed}.
 */
public final class HttpHeadParser {

    /** What {@link #feed} found. */
    public enum Status {
        /** The head is not complete yet. */
        NEED_MORE,
        /** The head is complete; what follows it stays in the input. */
        COMPLETE,
        /** The head is longer than allowed. */
        TOO_LARGE,
        /** The head breaks HTTP/1.1's syntax; {@link #failureReason()} says how. */
        MALFORMED
    }

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/(\\d)\\.(\\d) (\\d{3})(?: (.*))?");

    /** Where a parse collects the fields' line starts, per thread: only the exact copy is kept. */
    private static final ThreadLocal<int[]> LINE_STARTS = ThreadLocal.withInitial(() -> new int[16]);

    private final int maxHeadBytes;
    private byte[] head;
    private int length;
    private int currentLineLength; // bytes on the current line, not counting CR
    private boolean inLeadingEmptyLines = true;
    private Status status = Status.NEED_MORE;
    private String failureReason;
    private String source; // the head, once complete
    private int startLineEnd;
    private String startLine; // made when asked for: a server reads its request line from the source
    private HttpHeaders headers;

    /**
     * A parser for one head.
     *
     * @param maxHeadBytes the longest head accepted, in bytes; longer is {@link Status#TOO_LARGE}
     */
    public HttpHeadParser(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Consumes bytes of the head from {@code in}; once the head is complete, later bytes stay in {@code in}.
     *
     * @param in the bytes read
     * @return the status after these bytes
     */
    public Status feed(ByteBuffer in) {
        while (status == Status.NEED_MORE && in.hasRemaining()) {
            byte b = in.get();
            if (inLeadingEmptyLines && (b == '\r' || b == '\n')) {
                continue; // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line
            }
            inLeadingEmptyLines = false;
            if (length == maxHeadBytes) {
                return fail(Status.TOO_LARGE, "request head larger than " + maxHeadBytes + " bytes");
            }
            if (head == null) {
                // Sized by the first read, which usually holds the whole request: no spare kilobyte per connection.
                head = new byte[Math.min(maxHeadBytes, Math.max(64, in.remaining() + 1))];
            } else if (length == head.length) {
                head = Arrays.copyOf(head, Math.min(maxHeadBytes, head.length * 2));
            }
            head[length++] = b;
            if (b == '\n') {
                if (currentLineLength == 0) {
                    status = parse();
                }
                currentLineLength = 0;
            } else if (b != '\r') {
                currentLineLength++;
            }
        }
        return status;
    }

    /** {@return what the last {@link #feed} found} */
    public Status status() {
        return status;
    }

    /** {@return why the head was refused (for MALFORMED and TOO_LARGE), or {@code null}} */
    public String failureReason() {
        return failureReason;
    }

    /** {@return the first line of the head; valid once COMPLETE} */
    public String startLine() {
        if (startLine == null && source != null) {
            startLine = source.substring(0, startLineEnd);
        }
        return startLine;
    }

    /** {@return the header fields; valid once COMPLETE} */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The head as a request. The request line is {@code method SP target SP HTTP/d.d} (RFC 9112 §3), read by hand: once
     * per connection, without a regex matcher's garbage.
     *
     * @return the request, or {@code null} (with {@link #failureReason()} set) if its request line is malformed
     */
    public HttpRequest request() {
        String line = source; // the request line is its first startLineEnd characters
        int firstSpace = inStartLine(' ', 0);
        int secondSpace = firstSpace < 0 ? -1 : inStartLine(' ', firstSpace + 1);
        int versionAt = secondSpace + 1;
        if (firstSpace <= 0 || secondSpace <= firstSpace + 1 || inStartLine('\t', 0) >= 0
                || startLineEnd != versionAt + 8 || !line.startsWith("HTTP/", versionAt)
                || !isDigit(line.charAt(versionAt + 5)) || line.charAt(versionAt + 6) != '.'
                || !isDigit(line.charAt(versionAt + 7)) || !isToken(0, firstSpace)) {
            failureReason = "malformed request line";
            return null;
        }
        // A WebSocket handshake is a GET (RFC 6455 §4.1): every open connection shares the one string.
        String method = firstSpace == 3 && line.startsWith("GET") ? "GET" : line.substring(0, firstSpace);
        return new HttpRequest(method, line.substring(firstSpace + 1, secondSpace),
                line.charAt(versionAt + 5) - '0', line.charAt(versionAt + 7) - '0', headers);
    }

    /** Where {@code c} is in the start line from {@code from}, or -1. */
    private int inStartLine(char c, int from) {
        int at = source.indexOf(c, from);
        return at < startLineEnd ? at : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * {@return the status code of a response head, or -1 (with {@link #failureReason()} set) if its status line is
     * malformed}
     */
    public int statusCode() {
        Matcher m = STATUS_LINE.matcher(startLine());
        if (!m.matches()) {
            failureReason = "malformed status line";
            return -1;
        }
        return Integer.parseInt(m.group(3));
    }

    /**
     * Splits the head into lines and fields in place, on the bytes, and keeps it as one string with the bounds of
     * each name and value: a server keeps every open connection's request, so no string per name and value.
     */
    private Status parse() {
        int lineStart = 0;
        int lineEnd = lineEnd(0);
        if (hasControlCharacters(0, lineEnd)) {
            return fail(Status.MALFORMED, "control character in the start line");
        }
        int[] lineStarts = LINE_STARTS.get();
        int fields = 0;
        while (true) {
            lineStart = next(lineStart);
            lineEnd = lineEnd(lineStart);
            if (lineEnd == lineStart) {
                break; // the empty line that ends the head
            }
            if (head[lineStart] == ' ' || head[lineStart] == '\t') {
                return fail(Status.MALFORMED, "obsolete header line folding"); // RFC 9112 §5.2
            }
            int colon = indexOf(':', lineStart, lineEnd);
            if (colon <= lineStart || colon == lineEnd) {
                return fail(Status.MALFORMED, "header line without a name and a colon");
            }
            if (!isToken(lineStart, colon)) {
                return fail(Status.MALFORMED, "invalid header name"); // includes whitespace before the colon, §5.1
            }
            // Removes SP and HTAB around a value (RFC 9110 §5.6.3 OWS) and nothing else: control characters stay.
            int from = colon + 1;
            int to = lineEnd;
            while (from < to && (head[from] == ' ' || head[from] == '\t')) {
                from++;
            }
            while (to > from && (head[to - 1] == ' ' || head[to - 1] == '\t')) {
                to--;
            }
            if (hasControlCharacters(from, to)) {
                return fail(Status.MALFORMED, "control character in a header value");
            }
            if (fields == lineStarts.length) {
                lineStarts = Arrays.copyOf(lineStarts, lineStarts.length * 2);
                LINE_STARTS.set(lineStarts);
            }
            lineStarts[fields++] = lineStart;
        }
        // ISO-8859-1 maps every byte to one char, so the line starts stay valid and no byte is lost (RFC 9110 §5.5).
        source = new String(head, 0, lineStart, StandardCharsets.ISO_8859_1);
        startLineEnd = lineEnd(0);
        headers = HttpHeaders.parsed(source, lineStarts, fields);
        return Status.COMPLETE;
    }

    /** Where the line starting at {@code from} ends, not counting its LF nor a CR before it. */
    private int lineEnd(int from) {
        int lf = indexOf('\n', from, length);
        return lf > from && head[lf - 1] == '\r' ? lf - 1 : lf;
    }

    /** Where the line after the one starting at {@code from} starts. */
    private int next(int from) {
        return indexOf('\n', from, length) + 1;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (head[i] == c) {
                return i;
            }
        }
        return to;
    }

    private boolean isToken(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!HttpToken.isTokenChar(head[i] & 0xFF)) {
                return false;
            }
        }
        return from < to;
    }

    private boolean hasControlCharacters(int from, int to) {
        for (int i = from; i < to; i++) {
            int c = head[i] & 0xFF;
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    private Status fail(Status failure, String reason) {
        status = failure;
        failureReason = reason;
        return failure;
    }
}
