package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;
import io.jhttpd.http.Version;

/**
 * Parses a complete request head (RFC 9112 §2–§5) from bytes into a reused {@link RequestHead}.
 *
 * <p>A pure function of its input: no I/O, no allocation. The caller has already found the head's
 * end with {@link HeadScanner}, which also checked line endings and sizes. Each grammar phase has its
 * own method; any violation throws {@link HttpParseException} with the status the client gets.
 */
public final class RequestHeadParser {

    private static final Method[] METHODS = Method.values();
    private static final int NONE = -1;

    private RequestHeadParser() {
    }

    /**
     * @param start the first byte of the request line
     * @param end   the index just past the blank line that ends the head
     */
    public static void parse(byte[] buf, int start, int end, Limits limits, RequestHead head) {
        head.reset(buf, start, end);
        int lineEnd = lineEnd(buf, start);
        int afterMethod = parseMethod(buf, start, lineEnd, head);
        int afterTarget = parseTarget(buf, afterMethod + 1, lineEnd, head);
        parseVersion(buf, afterTarget + 1, lineEnd, head);
        if (head.method == null) {
            // RFC 9110 §9.1: an unrecognised method SHOULD get 501; checked after the version, so that
            // another major version (HTTP/2's preface, PRI * HTTP/2.0) gets its 505 first.
            throw new HttpParseException(Status.NOT_IMPLEMENTED_501, "Method not implemented");
        }
        checkTargetForm(buf, head);
        head.fieldSection.parse(buf, lineEnd + 2, end - 2, limits);
    }

    /** The index of the CR that ends the line starting at {@code from} (the scanner guarantees CRLF). */
    static int lineEnd(byte[] buf, int from) {
        int i = from;
        while (buf[i] != Ascii.CR) {
            i++;
        }
        return i;
    }

    /**
     * method = token, RFC 9112 §3.1; case-sensitive. Sets the head's method, null when we do not know
     * it, and returns the index of the SP after it.
     */
    private static int parseMethod(byte[] buf, int start, int lineEnd, RequestHead head) {
        int i = start;
        while (i < lineEnd && Ascii.isTchar(buf[i])) {
            i++;
        }
        if (i == start || i == lineEnd || buf[i] != Ascii.SP) {
            throw HttpParseException.badRequest("Malformed request line");
        }
        head.method = knownMethod(buf, start, i);
        return i;
    }

    /**
     * The known method that the bytes from {@code start} begin with, followed by a space, or null: for
     * answering a head that was refused, whatever part of it was read.
     */
    static Method methodAt(byte[] buf, int start, int limit) {
        if (start < 0) {
            return null;
        }
        int end = indexOf(buf, start, Math.min(limit, start + Method.MAX_LENGTH + 1), Ascii.SP);
        return end < 0 ? null : knownMethod(buf, start, end);
    }

    private static Method knownMethod(byte[] buf, int start, int end) {
        for (Method m : METHODS) {
            String name = m.name();
            if (name.length() == end - start && matches(buf, start, name)) {
                return m;
            }
        }
        return null;
    }

    private static boolean matches(byte[] buf, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * request-target, RFC 9112 §3.2: only the characters of a URI (RFC 3986) and those browsers send
     * unencoded ({@link Ascii#isTargetChar}, and in the query {@link Ascii#isQueryTolerated}), each "%"
     * followed by two HEXDIG. Returns the SP after it.
     */
    private static int parseTarget(byte[] buf, int start, int lineEnd, RequestHead head) {
        int i = start;
        boolean inQuery = false;
        while (i < lineEnd && buf[i] != Ascii.SP) {
            byte b = buf[i];
            if (!Ascii.isTargetChar(b) && !(inQuery && Ascii.isQueryTolerated(b))) {
                throw HttpParseException.badRequest("Invalid character in request target");
            }
            if (b == '%') {
                if (lineEnd - i < 3 || Ascii.hexValue(buf[i + 1]) < 0 || Ascii.hexValue(buf[i + 2]) < 0) {
                    throw HttpParseException.badRequest("Malformed percent-encoding in request target");
                }
                i += 2;
            } else if (b == '?') {
                inQuery = true;
            }
            i++;
        }
        if (i == start || i == lineEnd) {
            throw HttpParseException.badRequest("Malformed request line");
        }
        head.pathStart = start;
        head.pathEnd = i;
        return i;
    }

    /** HTTP-version = "HTTP/" DIGIT "." DIGIT, RFC 9112 §2.3; case-sensitive, exactly 8 bytes. */
    private static void parseVersion(byte[] buf, int start, int lineEnd, RequestHead head) {
        if (lineEnd - start != 8 || !matches(buf, start, "HTTP/") || !Ascii.isDigit(buf[start + 5])
                || buf[start + 6] != '.' || !Ascii.isDigit(buf[start + 7])) {
            throw HttpParseException.badRequest("Malformed HTTP version");
        }
        if (buf[start + 5] != '1') {
            // RFC 9110 §6.2, §15.6.6: 505 is for a major version we do not support.
            throw new HttpParseException(Status.HTTP_VERSION_NOT_SUPPORTED_505, "HTTP version not supported");
        }
        // RFC 9110 §6.2: a higher minor version is served as the highest we support.
        head.version = buf[start + 7] == '0' ? Version.HTTP_1_0 : Version.HTTP_1_1;
    }

    /** Splits the target into its form, path and query (RFC 9112 §3.2.1–§3.2.4). */
    private static void checkTargetForm(byte[] buf, RequestHead head) {
        int start = head.pathStart;
        int end = head.pathEnd;
        if (head.method == Method.CONNECT) {
            // RFC 9112 §3.2.3: authority-form is for CONNECT only; we are not a proxy.
            throw new HttpParseException(Status.NOT_IMPLEMENTED_501, "CONNECT not implemented");
        }
        if (buf[start] == '/') {
            head.form = RequestHead.TargetForm.ORIGIN;
        } else if (end - start == 1 && buf[start] == '*') {
            if (head.method != Method.OPTIONS) {
                throw HttpParseException.badRequest("Asterisk-form is for OPTIONS only");
            }
            head.form = RequestHead.TargetForm.ASTERISK;
            return;
        } else {
            start = absoluteFormPathStart(buf, start, end, head);
            head.form = RequestHead.TargetForm.ABSOLUTE;
        }
        int question = indexOf(buf, start, end, (byte) '?');
        head.pathStart = start;
        head.pathEnd = question < 0 ? end : question;
        if (question >= 0) {
            head.queryStart = question + 1;
            head.queryEnd = end;
        }
    }

    /** absolute-form, RFC 9112 §3.2.2: {@code http://authority/path}. Returns where the path starts. */
    private static int absoluteFormPathStart(byte[] buf, int start, int end, RequestHead head) {
        int afterScheme;
        if (Ascii.equalsIgnoreCase(buf, start, Math.min(end, start + 7), "http://")) {
            afterScheme = start + 7;
        } else if (Ascii.equalsIgnoreCase(buf, start, Math.min(end, start + 8), "https://")) {
            afterScheme = start + 8;
        } else {
            throw HttpParseException.badRequest("Invalid request target");
        }
        int i = afterScheme;
        while (i < end && buf[i] != '/' && buf[i] != '?') {
            i++;
        }
        if (i == afterScheme || !HostSyntax.isValid(buf, afterScheme, i)) {
            throw HttpParseException.badRequest("Invalid authority in request target");
        }
        head.authorityStart = afterScheme;
        head.authorityEnd = i;
        return i;
    }

    static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return NONE;
    }
}
