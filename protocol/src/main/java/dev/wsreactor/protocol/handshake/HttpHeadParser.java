package dev.wsreactor.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    public enum Status { NEED_MORE, COMPLETE, TOO_LARGE, MALFORMED }

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"); // RFC 9110 §5.6.2
    private static final Pattern REQUEST_LINE = Pattern.compile("(\\S+) (\\S+) HTTP/(\\d)\\.(\\d)");
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/(\\d)\\.(\\d) (\\d{3})(?: (.*))?");

    private final int maxHeadBytes;
    private byte[] head;
    private int length;
    private int currentLineLength; // bytes on the current line, not counting CR
    private boolean inLeadingEmptyLines = true;
    private Status status = Status.NEED_MORE;
    private String failureReason;
    private String startLine;
    private HttpHeaders headers;

    public HttpHeadParser(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
        this.head = new byte[Math.min(maxHeadBytes, 1024)];
    }

    /** Consumes bytes of the head from {@code in}; once the head is complete, later bytes stay in {@code in}. */
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
            if (length == head.length) {
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

    public Status status() {
        return status;
    }

    /** Why the head was refused (for MALFORMED and TOO_LARGE), or {@code null}. */
    public String failureReason() {
        return failureReason;
    }

    /** The first line of the head; valid once COMPLETE. */
    public String startLine() {
        return startLine;
    }

    /** The header fields; valid once COMPLETE. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The head as a request, or {@code null} (with {@link #failureReason()} set) if its request line is malformed. */
    public HttpRequest request() {
        Matcher m = REQUEST_LINE.matcher(startLine);
        if (!m.matches() || !TOKEN.matcher(m.group(1)).matches()) {
            failureReason = "malformed request line";
            return null;
        }
        return new HttpRequest(m.group(1), m.group(2), m.group(3).charAt(0) - '0', m.group(4).charAt(0) - '0', headers);
    }

    /** The status code of a response head, or -1 (with {@link #failureReason()} set) if its status line is malformed. */
    public int statusCode() {
        Matcher m = STATUS_LINE.matcher(startLine);
        if (!m.matches()) {
            failureReason = "malformed status line";
            return -1;
        }
        return Integer.parseInt(m.group(3));
    }

    private Status parse() {
        // ISO-8859-1 maps every byte to one char, so no byte is lost before the checks below (RFC 9110 §5.5).
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        startLine = lines.get(0);
        if (hasControlCharacters(startLine)) {
            return fail(Status.MALFORMED, "control character in the start line");
        }
        headers = new HttpHeaders();
        for (int i = 1; i < lines.size() - 2; i++) {
            String line = lines.get(i);
            if (line.startsWith(" ") || line.startsWith("\t")) {
                return fail(Status.MALFORMED, "obsolete header line folding"); // RFC 9112 §5.2
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return fail(Status.MALFORMED, "header line without a name and a colon");
            }
            String name = line.substring(0, colon);
            if (!TOKEN.matcher(name).matches()) {
                return fail(Status.MALFORMED, "invalid header name"); // includes whitespace before the colon, §5.1
            }
            String value = trimOptionalWhitespace(line.substring(colon + 1));
            if (hasControlCharacters(value)) {
                return fail(Status.MALFORMED, "control character in a header value");
            }
            headers.add(name, value);
        }
        return Status.COMPLETE;
    }

    /** Removes SP and HTAB around a value (RFC 9110 §5.6.3 OWS) and nothing else: control characters stay to be refused. */
    private static String trimOptionalWhitespace(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
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
