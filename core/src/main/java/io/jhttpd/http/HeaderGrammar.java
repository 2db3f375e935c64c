package io.jhttpd.http;

/** The few grammar facts that response headers need, kept apart from the request parser's tables. */
final class HeaderGrammar {

    /** tchar, RFC 9110 §5.6.2, for the ASCII range. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        String extras = "!#$%&'*+-.^_`|~";
        for (char c = 0; c < 128; c++) {
            TCHAR[c] = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || extras.indexOf(c) >= 0;
        }
    }

    private HeaderGrammar() {
    }

    /** tchar, RFC 9110 §5.6.2. */
    static boolean isTchar(char c) {
        return c < 128 && TCHAR[c];
    }

    /** The fields that frame the message or the connection, which only the server writes. */
    static boolean isFramingField(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("Date");
            case 10 -> name.equalsIgnoreCase("Connection");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }
}
