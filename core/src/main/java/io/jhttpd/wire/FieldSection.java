package io.jhttpd.wire;

import io.jhttpd.Limits;
import io.jhttpd.http.Status;
import io.jhttpd.http.Version;

/**
 * The header section of one request: stores each field line in the {@link RequestHead} and works out
 * the fields that decide framing and the connection (Host, Content-Length, Transfer-Encoding,
 * Connection, Expect), checking them against RFC 9112 §3.2, §6 and RFC 9110 §10.1.1.
 */
final class FieldSection {

    private final RequestHead head;
    private int chunkedCount;
    private boolean lastCodingIsChunked;
    private boolean unknownCoding;
    private boolean compressionCoding;
    private boolean unknownExpectation;
    private int elementStart;
    private int elementEnd;

    FieldSection(RequestHead head) {
        this.head = head;
    }

    /** Forgets the previous request's field state; one section is reused per connection. */
    void reset() {
        chunkedCount = 0;
        lastCodingIsChunked = false;
        unknownCoding = false;
        compressionCoding = false;
        unknownExpectation = false;
    }

    /** Parses the field lines in buf[start, end), where {@code end} is the CR of the blank line. */
    void parse(byte[] buf, int start, int end, Limits limits) {
        int lineStart = start;
        while (lineStart < end) {
            int lineEnd = RequestHeadParser.lineEnd(buf, lineStart);
            if (head.fieldCount == limits.maxHeaderCount()) {
                throw new HttpParseException(Status.REQUEST_HEADER_FIELDS_TOO_LARGE_431, "Too many header fields");
            }
            int colon = FieldLine.validate(buf, lineStart, lineEnd);
            int valueStart = FieldLine.valueStart(buf, colon, lineEnd);
            int valueEnd = FieldLine.valueEnd(buf, valueStart, lineEnd);
            head.addField(lineStart, colon, valueStart, valueEnd);
            interpret(buf, head.fieldCount - 1, valueStart, valueEnd);
            lineStart = lineEnd + 2;
        }
        checkFraming();
    }

    private void interpret(byte[] buf, int field, int valueStart, int valueEnd) {
        if (head.nameIs(field, "host")) {
            host(buf, field, valueStart, valueEnd);
        } else if (head.nameIs(field, "content-length")) {
            contentLength(buf, valueStart, valueEnd);
        } else if (head.nameIs(field, "transfer-encoding")) {
            transferEncoding(buf, valueStart, valueEnd);
        } else if (head.nameIs(field, "connection")) {
            connection(buf, valueStart, valueEnd);
        } else if (head.nameIs(field, "expect")) {
            expect(buf, valueStart, valueEnd);
        }
    }

    /** RFC 9112 §3.2: exactly one Host, and a valid one, in any version. An empty Host is legal. */
    private void host(byte[] buf, int field, int valueStart, int valueEnd) {
        if (head.hostField >= 0) {
            throw HttpParseException.badRequest("More than one Host header");
        }
        if (valueEnd > valueStart && !HostSyntax.isValid(buf, valueStart, valueEnd)) {
            throw HttpParseException.badRequest("Invalid Host header");
        }
        head.hostField = field;
    }

    /**
     * Content-Length = 1*DIGIT, RFC 9110 §8.6. Identical repeats ({@code 5, 5} or two lines) count as one
     * (a policy, as in Go's net/http); anything else, or a value too big for a long, is 400.
     */
    private void contentLength(byte[] buf, int valueStart, int valueEnd) {
        int i = valueStart;
        do {
            while (i < valueEnd && Ascii.isOws(buf[i])) {
                i++;
            }
            long value = 0;
            int digitsStart = i;
            while (i < valueEnd && Ascii.isDigit(buf[i])) {
                int digit = buf[i] - '0';
                if (value > (Long.MAX_VALUE - digit) / 10) {
                    throw HttpParseException.badRequest("Content-Length too large");
                }
                value = value * 10 + digit;
                i++;
            }
            if (i == digitsStart) {
                throw HttpParseException.badRequest("Invalid Content-Length");
            }
            while (i < valueEnd && Ascii.isOws(buf[i])) {
                i++;
            }
            if (i < valueEnd && buf[i] != ',') {
                throw HttpParseException.badRequest("Invalid Content-Length");
            }
            if (head.contentLength >= 0 && head.contentLength != value) {
                throw HttpParseException.badRequest("Conflicting Content-Length values");
            }
            head.contentLength = value;
            i++;
        } while (i <= valueEnd);
    }

    /** Transfer-Encoding, RFC 9112 §6.1: a list of codings, combined across lines in order. */
    private void transferEncoding(byte[] buf, int valueStart, int valueEnd) {
        head.hasTransferEncoding = true;
        for (int i = valueStart; i < valueEnd; ) {
            i = nextElement(buf, i, valueEnd);
            int s = elementStart;
            int e = elementEnd;
            if (e == s) {
                continue;
            }
            if (Ascii.equalsIgnoreCase(buf, s, e, "chunked")) {
                chunkedCount++;
                lastCodingIsChunked = true;
                continue;
            }
            if (e - s > 7 && Ascii.equalsIgnoreCase(buf, s, s + 7, "chunked")
                    && RequestHeadParser.indexOf(buf, s + 7, e, (byte) ';') >= 0) {
                // RFC 9112 §7.1: chunked takes no parameters.
                throw HttpParseException.badRequest("Parameters on chunked");
            }
            if (isCompressionCoding(buf, s, e)) {
                compressionCoding = true;
            } else {
                unknownCoding = true;
            }
            lastCodingIsChunked = false;
        }
    }

    /** The registered transfer codings besides chunked (RFC 9112 §7.2, IANA's registry), none of them decoded here. */
    private static boolean isCompressionCoding(byte[] buf, int start, int end) {
        return Ascii.equalsIgnoreCase(buf, start, end, "gzip")
                || Ascii.equalsIgnoreCase(buf, start, end, "deflate")
                || Ascii.equalsIgnoreCase(buf, start, end, "compress")
                || Ascii.equalsIgnoreCase(buf, start, end, "x-gzip")
                || Ascii.equalsIgnoreCase(buf, start, end, "x-compress");
    }

    /** Connection, RFC 9110 §7.6.1: a list of case-insensitive options. */
    private void connection(byte[] buf, int valueStart, int valueEnd) {
        for (int i = valueStart; i < valueEnd; ) {
            i = nextElement(buf, i, valueEnd);
            if (Ascii.equalsIgnoreCase(buf, elementStart, elementEnd, "close")) {
                head.connectionClose = true;
            } else if (Ascii.equalsIgnoreCase(buf, elementStart, elementEnd, "keep-alive")) {
                head.connectionKeepAlive = true;
            }
        }
    }

    /**
     * Finds the list element (RFC 9110 §5.6.1) that starts at {@code from}, sets its bounds without
     * OWS into {@link #elementStart} and {@link #elementEnd}, and returns where the next one starts.
     */
    private int nextElement(byte[] buf, int from, int valueEnd) {
        int comma = RequestHeadParser.indexOf(buf, from, valueEnd, (byte) ',');
        int end = comma < 0 ? valueEnd : comma;
        elementStart = FieldLine.valueStart(buf, from - 1, end);
        elementEnd = FieldLine.valueEnd(buf, elementStart, end);
        return end + 1;
    }

    /**
     * Expect, RFC 9110 §10.1.1: a list in which only 100-continue is known, matched case-insensitively.
     * Empty elements are ignored (§5.6.1.2), and a repeated 100-continue means what one does (§5.3).
     */
    private void expect(byte[] buf, int valueStart, int valueEnd) {
        for (int i = valueStart; i < valueEnd; ) {
            i = nextElement(buf, i, valueEnd);
            if (Ascii.equalsIgnoreCase(buf, elementStart, elementEnd, "100-continue")) {
                head.expectContinue = true;
            } else if (elementEnd > elementStart) {
                unknownExpectation = true;
            }
        }
    }

    private void checkFraming() {
        if (head.version == Version.HTTP_1_1 && head.hostField < 0) {
            throw HttpParseException.badRequest("Missing Host header");
        }
        if (head.hasTransferEncoding) {
            checkTransferEncoding();
        }
        if (head.version == Version.HTTP_1_0) {
            // RFC 9110 §10.1.1: an HTTP/1.0 client's Expect MUST be ignored, and no 1xx sent to it.
            head.expectContinue = false;
        } else if (unknownExpectation) {
            throw new HttpParseException(Status.EXPECTATION_FAILED_417, "Expectation not supported");
        }
    }

    private void checkTransferEncoding() {
        if (head.contentLength >= 0) {
            // RFC 9112 §6.3 ¶3: TE with CL may be a smuggling attempt. We do not let TE win: 400, close.
            throw HttpParseException.badRequest("Both Transfer-Encoding and Content-Length");
        }
        if (head.version == Version.HTTP_1_0) {
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request means faulty framing.
            throw HttpParseException.badRequest("Transfer-Encoding in an HTTP/1.0 request");
        }
        if (chunkedCount > 1 || chunkedCount == 1 && !lastCodingIsChunked) {
            // RFC 9112 §6.3 step 4, §7.1: chunked exactly once, and last.
            throw HttpParseException.badRequest("Invalid Transfer-Encoding");
        }
        if (unknownCoding) {
            // RFC 9112 §6.1: a transfer coding we do not know SHOULD get 501.
            throw new HttpParseException(Status.NOT_IMPLEMENTED_501, "Transfer coding not implemented");
        }
        if (chunkedCount == 0) {
            // RFC 9112 §6.3 step 4: without a final chunked (Transfer-Encoding: gzip, or an empty
            // value) the body's length cannot be determined: 400 and close.
            throw HttpParseException.badRequest(compressionCoding
                    ? "Transfer-Encoding must end in chunked" : "Empty Transfer-Encoding");
        }
        if (compressionCoding) {
            // gzip, chunked: framed, but a coding we do not decode (RFC 9112 §6.1: 501).
            throw new HttpParseException(Status.NOT_IMPLEMENTED_501, "Transfer coding not implemented");
        }
        head.chunked = true;
    }
}
