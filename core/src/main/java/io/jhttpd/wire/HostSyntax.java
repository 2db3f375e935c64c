package io.jhttpd.wire;

/** Host = uri-host [ ":" port ], RFC 9110 §7.2 with RFC 3986 §3.2.2–§3.2.3. */
final class HostSyntax {

    private HostSyntax() {
    }

    /** Whether buf[start, end) is a valid non-empty Host value or absolute-form authority. */
    static boolean isValid(byte[] buf, int start, int end) {
        int i = start;
        if (i < end && buf[i] == '[') {
            i++;
            while (i < end && buf[i] != ']') {
                if (!Ascii.isIpLiteralChar(buf[i])) {
                    return false;
                }
                i++;
            }
            if (i == end || i == start + 1) {
                return false;
            }
            i++;
        } else {
            while (i < end && buf[i] != ':') {
                if (!Ascii.isRegNameChar(buf[i])) {
                    return false;
                }
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i == end) {
            return true;
        }
        if (buf[i] != ':') {
            return false;
        }
        for (int p = i + 1; p < end; p++) {
            if (!Ascii.isDigit(buf[p])) {
                return false;
            }
        }
        return end - (i + 1) <= 5;
    }
}
