package io.jhttpd.wire;

/** Byte classes of the HTTP grammar as 256-entry tables, each named after its ABNF rule. */
final class Ascii {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final String DIGITS = "0123456789";
    private static final String ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** tchar, RFC 9110 §5.6.2. */
    private static final boolean[] TCHAR = tableOf("!#$%&'*+-.^_`|~" + DIGITS + ALPHA);

    /** field-vchar / SP / HTAB, RFC 9110 §5.5: VCHAR and obs-text; no CTL, no DEL. */
    private static final boolean[] FIELD_CONTENT = fieldContent();

    /**
     * What a request-target may hold (RFC 9112 §3.2, RFC 3986 §3): unreserved, sub-delims, ":", "@",
     * "/", "?", "%" (of pct-encoded); "[" "]", which RFC 3986 keeps for an IP-literal but browsers
     * (the WHATWG URL standard) and Python's requests send unencoded in paths and queries; and "|" "^",
     * which RFC 3986 does not allow but WHATWG URL parsers (Node's fetch, browsers) leave unencoded in
     * paths and queries. No "#", no CTL, DEL, SP or non-ASCII, none of {@code " < >}, which every
     * client encodes.
     */
    private static final boolean[] TARGET = tableOf(ALPHA + DIGITS + "-._~" + "!$&'()*+,;=" + ":@/?%[]|^");

    /**
     * What a query may hold beyond {@link #TARGET}: the characters browsers leave unencoded in a query
     * (WHATWG URL, the query percent-encode set) though RFC 3986 does not allow them. In a path they
     * are refused: WHATWG URL encodes them there ("\\" becomes "/").
     */
    private static final boolean[] QUERY_TOLERATED = tableOf("{}\\`");

    /** reg-name and IPv4address, RFC 3986 §3.2.2: unreserved / pct-encoded / sub-delims. */
    private static final boolean[] REG_NAME = tableOf(ALPHA + DIGITS + "-._~" + "%" + "!$&'()*+,;=");

    /** What an IP-literal may hold between its brackets: IPv6 and IPvFuture characters. */
    private static final boolean[] IP_LITERAL = tableOf(ALPHA + DIGITS + ":.-_~!$&'()*+,;=");

    private Ascii() {
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    static boolean isFieldContent(byte b) {
        return FIELD_CONTENT[b & 0xFF];
    }

    static boolean isTargetChar(byte b) {
        return TARGET[b & 0xFF];
    }

    static boolean isQueryTolerated(byte b) {
        return QUERY_TOLERATED[b & 0xFF];
    }

    static boolean isRegNameChar(byte b) {
        return REG_NAME[b & 0xFF];
    }

    static boolean isIpLiteralChar(byte b) {
        return IP_LITERAL[b & 0xFF];
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** OWS, RFC 9110 §5.6.3: only SP and HTAB; VT, FF and NBSP are data. */
    static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    /** HEXDIG (either case), or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    static byte toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    /** Whether buf[start, end) equals {@code lowerCase} ignoring ASCII case; {@code lowerCase} is lower case. */
    static boolean equalsIgnoreCase(byte[] buf, int start, int end, String lowerCase) {
        if (end - start != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            if (toLower(buf[start + i]) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean[] tableOf(String chars) {
        boolean[] table = new boolean[256];
        for (int i = 0; i < chars.length(); i++) {
            table[chars.charAt(i)] = true;
        }
        return table;
    }

    private static boolean[] fieldContent() {
        boolean[] table = new boolean[256];
        for (int b = 0x21; b <= 0x7E; b++) {
            table[b] = true;
        }
        for (int b = 0x80; b <= 0xFF; b++) {
            table[b] = true;
        }
        table[SP] = true;
        table[HTAB] = true;
        return table;
    }

}
