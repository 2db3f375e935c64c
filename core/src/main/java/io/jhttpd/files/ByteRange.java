package io.jhttpd.files;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Status;

import java.util.Locale;

/**
 * One satisfiable byte range of a representation, from a {@code Range} field (RFC 9110 §14.1.2).
 *
 * <p>Policy: we serve a single range only. Multiple ranges, another unit or invalid syntax are
 * ignored (the full 200 is sent, which §14.2 allows); no satisfiable range is 416 with
 * {@code Content-Range: bytes *}{@code /len} (§15.5.17).
 *
 * @param first the first byte, inclusive
 * @param last  the last byte, inclusive, already clamped to {@code length - 1}
 */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    /** {@code bytes first-last/complete} for a 206 (RFC 9110 §14.4). */
    String contentRange(long completeLength) {
        return "bytes " + first + "-" + last + "/" + completeLength;
    }

    /**
     * The range {@code header} asks of a representation of {@code length} bytes, or null when the
     * field should be ignored.
     *
     * @throws HttpException 416 with {@code Content-Range: bytes *}{@code /length} when the range is
     *                       valid but not satisfiable: first-pos at or past the end (any first-pos of
     *                       an empty representation) or a zero suffix
     */
    static ByteRange parse(String header, long length) {
        // ranges-specifier = range-unit "=" range-set; the unit is case-insensitive (§14.1).
        if (header.length() < 6 || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("bytes=")) {
            return null;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return null; // not a range, or several: policy is the full representation
        }
        long first = digits(spec, 0, dash);
        long last = digits(spec, dash + 1, spec.length());
        if (dash == 0) {
            // suffix-range "-n": the last n bytes, all of them if n >= length.
            if (last < 0) {
                return null;
            }
            if (last == 0) {
                throw unsatisfiable(length);
            }
            if (length == 0) {
                // §14.1.1: the one satisfiable range of an empty representation, which no 206 can
                // express (there is no last byte): the full, empty representation.
                return null;
            }
            return new ByteRange(Math.max(0, length - last), length - 1);
        }
        if (first < 0 || dash < spec.length() - 1 && (last < 0 || last < first)) {
            return null; // invalid syntax, or last-pos before first-pos (§14.1.1)
        }
        if (first >= length) {
            throw unsatisfiable(length);
        }
        long end = dash == spec.length() - 1 ? length - 1 : Math.min(last, length - 1);
        return new ByteRange(first, end);
    }

    /**
     * The value of 1*DIGIT in {@code s[from, to)}: -1 when empty or not all ASCII digits; a value
     * too large for a long saturates at {@link Long#MAX_VALUE} (it is past any file's end anyway).
     * Never {@code Long.parseLong}: it accepts signs and non-ASCII digits (RFC 9110 §8.6 spirit).
     */
    private static long digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }

    private static HttpException unsatisfiable(long length) {
        return new HttpException(Status.RANGE_NOT_SATISFIABLE_416, "Range not satisfiable")
                .withHeader("Content-Range", "bytes */" + length);
    }
}
