package io.jhttpd.wire;

/**
 * One field line, RFC 9112 §5: {@code field-name ":" OWS field-value OWS}. Shared by the header
 * section and the chunked trailer section, so both hold to the same grammar.
 */
final class FieldLine {

    private FieldLine() {
    }

    /**
     * Validates the line buf[start, end) (without its CRLF) and returns the index of its colon.
     *
     * @throws HttpParseException 400 for obs-fold, an empty or non-token name, whitespace before the
     *                            colon (RFC 9112 §5.1), or a CTL, CR, LF or NUL in the value (RFC 9110 §5.5)
     */
    static int validate(byte[] buf, int start, int end) {
        if (Ascii.isOws(buf[start])) {
            // RFC 9112 §5.2: obs-fold may be rejected; after the request line it MUST be (§2.2).
            throw HttpParseException.badRequest("Folded or indented header line");
        }
        int colon = start;
        while (colon < end && Ascii.isTchar(buf[colon])) {
            colon++;
        }
        if (colon == end || buf[colon] != ':') {
            throw HttpParseException.badRequest(colon < end && Ascii.isOws(buf[colon])
                    ? "Whitespace before colon in header field" : "Malformed header field name");
        }
        if (colon == start) {
            throw HttpParseException.badRequest("Empty header field name");
        }
        for (int i = colon + 1; i < end; i++) {
            if (!Ascii.isFieldContent(buf[i])) {
                throw HttpParseException.badRequest("Invalid character in header field value");
            }
        }
        return colon;
    }

    /** The first index of the value after leading OWS. */
    static int valueStart(byte[] buf, int colon, int end) {
        int i = colon + 1;
        while (i < end && Ascii.isOws(buf[i])) {
            i++;
        }
        return i;
    }

    /** The index just past the value, before trailing OWS. */
    static int valueEnd(byte[] buf, int valueStart, int end) {
        int i = end;
        while (i > valueStart && Ascii.isOws(buf[i - 1])) {
            i--;
        }
        return i;
    }
}
