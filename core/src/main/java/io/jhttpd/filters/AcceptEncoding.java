package io.jhttpd.filters;

import io.jhttpd.http.Headers;

/**
 * What a request's {@code Accept-Encoding} (RFC 9110 §12.5.3) allows: how much it wants gzip and how
 * much a response without content coding (identity), each as a qvalue in thousandths (0 means "not
 * acceptable"). The coding with the higher qvalue is preferred; gzip on a tie.
 *
 * <p>An explicit {@code gzip} (or its alias {@code x-gzip}, §8.4.1.3) wins over {@code *}; {@code *}
 * covers gzip when gzip is not listed. Identity is acceptable unless the field says
 * {@code identity;q=0}, or {@code *;q=0} without an entry of its own for identity; not listed, it
 * takes the qvalue of {@code *}, or without one the least acceptable weight (so that
 * {@code gzip;q=0.5} alone still means gzip). Names compare
 * case-insensitively. A malformed qvalue counts as 0 for its element, so a garbled refusal is still a
 * refusal. Policy: no field at all means no gzip, although §12.5.3 would allow any coding, because
 * clients that cannot inflate (curl without {@code --compressed}, scripts) send none.
 *
 * @param gzipQuality     gzip's qvalue in thousandths, 0 when not acceptable
 * @param identityQuality identity's qvalue in thousandths, 0 when not acceptable
 */
record AcceptEncoding(int gzipQuality, int identityQuality) {

    /** The weight of identity when the field lists neither it nor {@code *}: acceptable, preferred by no one. */
    private static final int UNLISTED = 1;

    /** A request without the field: the usual case for API clients, decided without making a list. */
    static final AcceptEncoding NO_FIELD = new AcceptEncoding(0, 1000);

    /** Whether a response without content coding may be sent. */
    boolean identityAcceptable() {
        return identityQuality > 0;
    }

    /** Whether gzip is acceptable and weighs at least as much as identity (§12.5.3: the higher qvalue is preferred). */
    boolean prefersGzip() {
        return gzipQuality > 0 && gzipQuality >= identityQuality;
    }

    static AcceptEncoding of(Headers request) {
        if (!request.contains("Accept-Encoding")) {
            return NO_FIELD;
        }
        int gzip = -1;
        int identity = -1;
        int wildcard = -1;
        for (String element : request.listElements("Accept-Encoding")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).strip();
            int q = semicolon < 0 ? 1000 : weight(element.substring(semicolon + 1));
            if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip")) {
                gzip = Math.max(gzip, q);
            } else if (coding.equalsIgnoreCase("identity")) {
                identity = Math.max(identity, q);
            } else if (coding.equals("*")) {
                wildcard = Math.max(wildcard, q);
            }
        }
        return new AcceptEncoding(gzip >= 0 ? gzip : Math.max(wildcard, 0),
                identity >= 0 ? identity : wildcard >= 0 ? wildcard : UNLISTED);
    }

    /** The qvalue in {@code ;q=0.5} style parameters; 1000 when there is no q parameter. */
    static int weight(String parameters) {
        int q = 1000;
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                continue;
            }
            if (parameter.substring(0, equals).strip().equalsIgnoreCase("q")) {
                q = qvalue(parameter.substring(equals + 1).strip());
            }
        }
        return q;
    }

    /**
     * qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), §12.4.2, in thousandths;
     * 0 when malformed. Digits are checked as '0'..'9', never with {@code Character.isDigit}.
     */
    static int qvalue(String s) {
        int n = s.length();
        if (n == 0 || n > 5 || (s.charAt(0) != '0' && s.charAt(0) != '1')) {
            return 0;
        }
        if (n > 1 && s.charAt(1) != '.') {
            return 0;
        }
        int value = (s.charAt(0) - '0') * 1000;
        int scale = 100;
        for (int i = 2; i < n; i++, scale /= 10) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            value += (c - '0') * scale;
        }
        return value > 1000 ? 0 : value;
    }
}
