package io.jhttpd.filters;

import io.jhttpd.http.Request;
import io.jhttpd.http.Status;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The lines of {@link AccessLogFilter}, one method per {@link AccessLogFilter.Format}. Every byte a client
 * chose is escaped so that no request can forge a line or a field: the lines are printable ASCII.
 */
final class AccessLogFormats {

    /** The CLF time stamp, seconds being its resolution. */
    private static final TimeStampCache CLF_TIME = new TimeStampCache("dd/MMM/yyyy:HH:mm:ss Z");
    /** ISO 8601 up to the seconds' dot; the milliseconds and the zone are appended. */
    private static final TimeStampCache JSON_SECOND = new TimeStampCache("uuuu-MM-dd'T'HH:mm:ss.");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * A time stamp format in UTC whose text changes once a second, formatted once for each second: a
     * busy server logs thousands of lines in each. Safe for any number of threads (an immutable pair
     * published through a volatile field; two threads may both format a new second, harmlessly).
     */
    private static final class TimeStampCache {
        private record FormattedSecond(long second, String text) {
        }

        private final DateTimeFormatter format;
        private volatile FormattedSecond last = new FormattedSecond(Long.MIN_VALUE, "");

        TimeStampCache(String pattern) {
            this.format = DateTimeFormatter.ofPattern(pattern, Locale.US).withZone(ZoneOffset.UTC);
        }

        String text(long millis) {
            long second = Math.floorDiv(millis, 1000);
            FormattedSecond cached = last;
            if (cached.second() != second) {
                cached = new FormattedSecond(second, format.format(Instant.ofEpochSecond(second)));
                last = cached;
            }
            return cached.text();
        }
    }

    private AccessLogFormats() {
    }

    /** {@code host - - [time] "request line" status length duration}. */
    static String common(Request request, long arrivedMillis, Status status, long length, long nanos) {
        StringBuilder line = commonPrefix(request, arrivedMillis, status, length);
        return appendMillis(line.append(' '), nanos).append("ms").toString();
    }

    /** Common, then {@code "referer" "user-agent"} ({@code "-"} when absent), then the duration. */
    static String combined(Request request, long arrivedMillis, Status status, long length, long nanos) {
        StringBuilder line = commonPrefix(request, arrivedMillis, status, length);
        quoted(request.header("Referer"), line.append(' '));
        quoted(request.header("User-Agent"), line.append(' '));
        return appendMillis(line.append(' '), nanos).append("ms").toString();
    }

    /** One JSON object with the same fields, always the same keys; null where CLF writes {@code -}. */
    static String json(Request request, long arrivedMillis, Status status, long length, long nanos) {
        return json(arrivedMillis, remoteAddress(request.remoteAddress()), request.method().name(), request.path(),
                request.query(), request.version().toString(), status, length, nanos,
                utf8IfValid(request.header("Referer")), utf8IfValid(request.header("User-Agent")));
    }

    /**
     * A request the server refused before any handler, in {@code format}: the request line as received
     * (escaped like any other; {@code "-"} when it was not read whole), no Referer or User-Agent. In
     * JSON the line is split at its spaces into method, path, query and version when it has three parts.
     */
    static String refused(AccessLogFilter.Format format, InetSocketAddress remote, String requestLine,
                          long arrivedMillis, Status status, long length, long nanos) {
        if (format == AccessLogFilter.Format.JSON) {
            RequestLine parts = RequestLine.split(requestLine);
            return json(arrivedMillis, remoteAddress(remote), utf8IfValid(parts.method()), utf8IfValid(parts.path()),
                    utf8IfValid(parts.query()), utf8IfValid(parts.version()), status, length, nanos, null, null);
        }
        StringBuilder line = lineStart(remoteAddress(remote), arrivedMillis);
        escape(requestLine == null ? "-" : requestLine, line);
        statusAndLength(line, status, length);
        if (format == AccessLogFilter.Format.COMBINED) {
            line.append(" \"-\" \"-\"");
        }
        return appendMillis(line.append(' '), nanos).append("ms").toString();
    }

    /** A refused request line's parts as the JSON lines name them; all null unless it has exactly three. */
    private record RequestLine(String method, String path, String query, String version) {
        static RequestLine split(String line) {
            String[] parts = line == null ? new String[0] : line.split(" ", -1);
            if (parts.length != 3) {
                return new RequestLine(null, null, null, null);
            }
            int question = parts[1].indexOf('?');
            return question < 0 ? new RequestLine(parts[0], parts[1], null, parts[2])
                    : new RequestLine(parts[0], parts[1].substring(0, question), parts[1].substring(question + 1), parts[2]);
        }
    }

    private static String json(long arrivedMillis, String remote, String method, String path, String query,
                               String version, Status status, long length, long nanos, String referer,
                               String userAgent) {
        StringBuilder line = new StringBuilder(256).append("{\"time\":\"");
        int millis = (int) Math.floorMod(arrivedMillis, 1000);
        line.append(JSON_SECOND.text(arrivedMillis)).append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10)).append("Z\",\"remote\":");
        jsonString(remote, line);
        line.append(",\"method\":");
        jsonString(method, line);
        line.append(",\"path\":");
        jsonString(path, line);
        line.append(",\"query\":");
        jsonString(query, line);
        line.append(",\"version\":");
        jsonString(version, line);
        line.append(",\"status\":").append(status.code()).append(",\"bytes\":");
        if (length < 0) {
            line.append("null");
        } else {
            line.append(length);
        }
        appendMillis(line.append(",\"duration_ms\":"), nanos);
        line.append(",\"referer\":");
        jsonString(referer, line);
        line.append(",\"user_agent\":");
        jsonString(userAgent, line);
        return line.append('}').toString();
    }

    private static StringBuilder commonPrefix(Request request, long arrivedMillis, Status status, long length) {
        StringBuilder line = lineStart(remoteAddress(request.remoteAddress()), arrivedMillis);
        line.append(request.method().name()).append(' ');
        escape(request.path(), line);
        if (request.query() != null) {
            line.append('?');
            escape(request.query(), line);
        }
        line.append(' ').append(request.version());
        return statusAndLength(line, status, length);
    }

    /** {@code host - - [time] "}: what every CLF line starts with, up to its request line. */
    private static StringBuilder lineStart(String remote, long arrivedMillis) {
        StringBuilder line = new StringBuilder(160);
        line.append(remote == null ? "-" : remote).append(" - - [");
        return line.append(CLF_TIME.text(arrivedMillis)).append("] \"");
    }

    /** {@code " status length}, the length {@code -} when there is no body. */
    private static StringBuilder statusAndLength(StringBuilder line, Status status, long length) {
        line.append("\" ").append(status.code()).append(' ');
        return length < 0 ? line.append('-') : line.append(length);
    }

    private static String remoteAddress(InetSocketAddress remote) {
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }

    /** Milliseconds with three decimals: {@code 0.123}. */
    private static StringBuilder appendMillis(StringBuilder line, long nanos) {
        long micros = nanos / 1000;
        line.append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            line.append(fraction < 10 ? "00" : "0");
        }
        return line.append(fraction);
    }

    private static void quoted(String value, StringBuilder line) {
        line.append('"');
        if (value == null) {
            line.append('-');
        } else {
            escape(value, line);
        }
        line.append('"');
    }

    /**
     * Appends {@code s} so that it cannot end a quoted field or the line: {@code "} and {@code \} get a
     * backslash, control characters and anything outside printable ASCII become {@code \xHH} (above
     * U+00FF: {@code \}{@code uHHHH}).
     */
    static void escape(String s, StringBuilder out) {
        appendEscaped(s, out, true);
    }

    /** A JSON string (RFC 8259 §7) in printable ASCII, or {@code null}. */
    static void jsonString(String s, StringBuilder out) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        appendEscaped(s, out, false);
        out.append('"');
    }

    /**
     * Printable ASCII as it is, {@code "} and {@code \} with a backslash, the rest as {@code \xHH}
     * (Latin-1, when {@code hexLatin1}) or {@code \}{@code uHHHH}.
     */
    private static void appendEscaped(String s, StringBuilder out, boolean hexLatin1) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else if (hexLatin1 && c <= 0xFF) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                unicodeEscape(c, out);
            }
        }
    }

    /**
     * A field's value, which the parser keeps one char per byte, as the text its bytes spell in UTF-8
     * (what clients send in practice), so that a JSON line says "ü" and not "Ã¼"; the value as it is
     * when it is ASCII, null, or not UTF-8 (its bytes then come out as {@code \}{@code u00HH}).
     */
    static String utf8IfValid(String bytes) {
        if (bytes == null) {
            return null;
        }
        int highest = 0;
        for (int i = 0; i < bytes.length(); i++) {
            highest = Math.max(highest, bytes.charAt(i));
        }
        if (highest < 0x80 || highest > 0xFF) {
            return bytes; // ASCII, or not one char per byte
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return bytes;
        }
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }
}
