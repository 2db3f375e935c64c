package io.jhttpd.wire;

import io.jhttpd.http.Headers;
import io.jhttpd.http.Method;
import io.jhttpd.http.Version;

import java.util.Arrays;

/**
 * A parsed request head: offsets into the connection's buffer, plus the framing facts the parser
 * worked out. One instance per connection is reused for every request, so nothing here allocates
 * until a handler asks for a string.
 *
 * <p>Valid until the next request is parsed: the buffer region it points into is not touched
 * while the request is being served.
 */
public final class RequestHead implements Headers {

    /** The request-target forms of RFC 9112 §3.2. */
    public enum TargetForm { ORIGIN, ABSOLUTE, ASTERISK }

    final FieldSection fieldSection = new FieldSection(this);
    byte[] buf;
    int start;
    int end;
    Method method;
    Version version;
    TargetForm form;
    int pathStart;
    int pathEnd;
    int queryStart;
    int queryEnd;
    int fieldCount;
    int[] fields = new int[4 * 8]; // grows for requests with more fields; most have fewer

    long contentLength;
    boolean chunked;
    boolean hasTransferEncoding;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean expectContinue;
    int hostField;
    int authorityStart;
    int authorityEnd;

    void reset(byte[] buffer, int headStart, int headEnd) {
        buf = buffer;
        start = headStart;
        end = headEnd;
        method = null;
        version = null;
        form = null;
        queryStart = -1;
        queryEnd = -1;
        fieldCount = 0;
        contentLength = -1;
        chunked = false;
        hasTransferEncoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        hostField = -1;
        authorityStart = -1;
        authorityEnd = -1;
        fieldSection.reset();
    }

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int at = fieldCount * 4;
        if (at + 4 > fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[at] = nameStart;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        fieldCount++;
    }

    public Method method() {
        return method;
    }

    public Version version() {
        return version;
    }

    public TargetForm form() {
        return form;
    }

    /** The path as sent, percent-encoded; {@code *} for asterisk-form; {@code /} for an empty absolute path. */
    public String path() {
        if (pathEnd == pathStart) {
            return "/";
        }
        return text(pathStart, pathEnd);
    }

    /** The query without its {@code ?}, or null. */
    public String query() {
        return queryStart < 0 ? null : text(queryStart, queryEnd);
    }

    /** The length the request declared in Content-Length, or -1 when none. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the body is chunked (the final and only transfer coding, RFC 9112 §6.3). */
    public boolean chunked() {
        return chunked;
    }

    /** Whether the request asked for the connection to close (RFC 9112 §9.6). */
    public boolean connectionClose() {
        return connectionClose;
    }

    /** Whether the request named {@code keep-alive} in Connection (meaningful for HTTP/1.0). */
    public boolean connectionKeepAlive() {
        return connectionKeepAlive;
    }

    /** Whether the request carried {@code Expect: 100-continue}. */
    public boolean expectContinue() {
        return expectContinue;
    }

    /** The number of bytes the head took on the wire. */
    public int length() {
        return end - start;
    }

    @Override
    public int size() {
        return fieldCount;
    }

    @Override
    public String name(int index) {
        return text(fields[index * 4], fields[index * 4 + 1]);
    }

    @Override
    public String value(int index) {
        return text(fields[index * 4 + 2], fields[index * 4 + 3]);
    }

    @Override
    public boolean nameIs(int index, String name) {
        int s = fields[index * 4];
        int e = fields[index * 4 + 1];
        if (e - s != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            byte b = buf[s + i];
            if (b != c && Ascii.toLower(b) != (c >= 'A' && c <= 'Z' ? c + 32 : c)) {
                return false;
            }
        }
        return true;
    }

    boolean valueEqualsIgnoreCase(int index, String lowerCase) {
        return Ascii.equalsIgnoreCase(buf, fields[index * 4 + 2], fields[index * 4 + 3], lowerCase);
    }

    /** RFC 9110 §5.5: octets 0x80–0xFF are opaque obs-text, kept as ISO-8859-1. */
    /**
     * Latin-1 text of the buffer. The old "hibyte" constructor copies the bytes as they are; the charset
     * one goes through a decoder lookup first, which cost a tenth of a pipelined request's time.
     */
    @SuppressWarnings("deprecation")
    private String text(int from, int to) {
        return new String(buf, 0, from, to - from);
    }

    @Override
    public String toString() {
        return method + " " + path() + " " + version + " (" + fieldCount + " fields)";
    }
}
