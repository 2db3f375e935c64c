package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;

/**
 * Finds where a request head ends, incrementally, as bytes arrive in any grouping.
 *
 * <p>It checks line endings on the way (every LF preceded by CR, no bare CR: RFC 9112 §2.2) and
 * the size limits, so that a client can never make the server buffer more than the limits allow.
 * Scanning resumes where it stopped: a head trickled one byte at a time costs linear time.
 */
public final class HeadScanner {

    private int origin;
    private int scanned;
    private int lineStart;
    private int requestLineStart;
    private int fieldBytes;

    /** Starts looking for a new head at {@code from}. */
    public void reset(int from) {
        origin = from;
        scanned = from;
        lineStart = from;
        requestLineStart = -1;
        fieldBytes = 0;
    }

    /** Moves the scan state when the buffer's bytes are shifted left by {@code delta}. */
    public void shift(int delta) {
        origin -= delta;
        scanned -= delta;
        lineStart -= delta;
        if (requestLineStart >= 0) {
            requestLineStart -= delta;
        }
    }

    /** Index of the request line's first byte (after any leading empty lines); valid once a head is found. */
    public int requestLineStart() {
        return requestLineStart;
    }

    /**
     * Where the request line starts, or, while it is still arriving (a refusal can come first: 414,
     * 408), where the line being read starts, after any leading empty lines.
     */
    public int requestLineStartSoFar() {
        return requestLineStart >= 0 ? requestLineStart : lineStart;
    }

    /** Whether any byte of a request has been seen since {@link #reset}. */
    public boolean started() {
        return scanned > origin;
    }

    /**
     * Scans {@code buf} up to {@code limit}.
     *
     * @return the index just past the blank line that ends the head, or -1 when more bytes are needed
     * @throws HttpParseException 400 for a bare CR or LF, 414 for a long request line, 431 for a long
     *                            field line or header section, 501 for a method longer than any we know
     */
    public int scan(byte[] buf, int limit, Limits limits) {
        for (int i = scanned; i < limit; i++) {
            byte b = buf[i];
            if (b == Ascii.CR) {
                if (i + 1 == limit) {
                    scanned = i; // decide once the next byte is here
                    return checkIncomplete(buf, limit, limits);
                }
                if (buf[i + 1] != Ascii.LF) {
                    throw HttpParseException.badRequest("Bare CR in request head");
                }
            } else if (b == Ascii.LF) {
                if (i == lineStart || buf[i - 1] != Ascii.CR) {
                    throw HttpParseException.badRequest("Bare LF in request head");
                }
                int lineLength = i - 1 - lineStart;
                if (requestLineStart < 0) {
                    if (lineLength > 0) {
                        requestLineStart = lineStart;
                    }
                    // RFC 9112 §2.2: empty lines before the request line are ignored, but counted.
                    if (i + 1 - origin > limits.maxRequestLineBytes()) {
                        throw new HttpParseException(Status.URI_TOO_LONG_414, "Request line too long");
                    }
                } else if (lineLength == 0) {
                    scanned = i + 1;
                    return i + 1;
                } else {
                    checkFieldLine(lineLength, limits);
                }
                lineStart = i + 1;
            }
        }
        scanned = limit;
        return checkIncomplete(buf, limit, limits);
    }

    private void checkFieldLine(int lineLength, Limits limits) {
        if (lineLength > limits.maxFieldLineBytes()) {
            throw new HttpParseException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "Header field too large");
        }
        fieldBytes += lineLength + 2;
        if (fieldBytes > limits.maxHeaderBytes()) {
            throw new HttpParseException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "Header section too large");
        }
    }

    private int checkIncomplete(byte[] buf, int limit, Limits limits) {
        int partial = limit - lineStart;
        if (requestLineStart < 0) {
            if (limit - origin > limits.maxRequestLineBytes()) {
                throw new HttpParseException(Status.URI_TOO_LONG_414, "Request line too long");
            }
            checkMethodPrefix(buf, lineStart, limit);
        } else if (partial > limits.maxFieldLineBytes() + 2
                || fieldBytes + partial > limits.maxHeaderBytes() + 2) {
            throw new HttpParseException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "Header section too large");
        }
        return -1;
    }

    /**
     * RFC 9112 §3: a method longer than any we implement SHOULD get 501, without waiting for the rest
     * of the line. Only a complete token prefix counts; other bytes are left to the parser's 400.
     */
    private static void checkMethodPrefix(byte[] buf, int start, int limit) {
        if (limit - start <= Method.MAX_LENGTH) {
            return;
        }
        for (int i = start; i <= start + Method.MAX_LENGTH; i++) {
            if (!Ascii.isTchar(buf[i])) {
                return;
            }
        }
        throw new HttpParseException(Status.NOT_IMPLEMENTED_501, "Method not implemented");
    }
}
