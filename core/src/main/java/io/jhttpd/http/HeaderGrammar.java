package io.jhttpd.http;

/** The few grammar facts that response headers need, kept apart from the request parser's tables. */
final class HeaderGrammar {

    private static final String TCHAR_EXTRAS = "!#$%&'*+-.^_`|~";

    private HeaderGrammar() {
    }

    /** tchar, RFC 9110 §5.6.2. */
    static boolean isTchar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || c < 0x80 && TCHAR_EXTRAS.indexOf(c) >= 0;
    }

    /** The fields that frame the message or the connection, which only the server writes. */
    static boolean isFramingField(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date");
    }
}
