package io.jhttpd.app.testing;

import java.nio.charset.StandardCharsets;

/** Builds raw request bytes with every CRLF explicit, so that no editor can strip one. */
public final class Wire {

    private Wire() {
    }

    /** Joins lines with CRLF, and ends the last with CRLF too: {@code crlf("GET / HTTP/1.1", "Host: a", "")}. */
    public static String crlf(String... lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append("\r\n");
        }
        return sb.toString();
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A simple GET with a Host, as one string. */
    public static String get(String target) {
        return crlf("GET " + target + " HTTP/1.1", "Host: test", "");
    }
}
