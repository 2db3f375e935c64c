package io.jhttpd.http;

/**
 * The protocol version of a request (RFC 9112 §2.3). Any {@code HTTP/1.x} with x above 1 is served
 * as {@link #HTTP_1_1} (RFC 9110 §6.2); other major versions are answered 505.
 */
public enum Version {
    HTTP_1_0("HTTP/1.0"), HTTP_1_1("HTTP/1.1");

    private final String text;

    Version(String text) {
        this.text = text;
    }

    /** Whether connections stay open unless asked to close (RFC 9112 §9.3). */
    public boolean persistsByDefault() {
        return this == HTTP_1_1;
    }

    @Override
    public String toString() {
        return text;
    }
}
