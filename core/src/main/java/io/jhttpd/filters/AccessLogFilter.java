package io.jhttpd.filters;

import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Writes one line per request to a sink, in Common Log Format followed by the handling time:
 *
 * <pre>
 * 127.0.0.1 - - [23/Nov/2026:18:40:12 +0000] "GET /path?q=1 HTTP/1.1" 200 13 0.123ms
 * </pre>
 *
 * <p>Fields: client address, {@code -} (identd), {@code -} (user), the time the request arrived in
 * UTC, the request line in quotes, the status, the body length in bytes and the time spent in the
 * handlers below this filter in milliseconds with three decimals. As in CLF, the length is {@code -}
 * when no body is sent or its length is not known here: a HEAD, a 204 or 304, an empty or streamed
 * body, and error responses (the error handler renders those after this filter). Within the request
 * line, bytes the client chose are escaped so that no request can forge or split a line:
 * {@code "} and {@code \} get a backslash, control characters and anything outside printable ASCII
 * become {@code \xHH} (above U+00FF: a backslash, {@code u} and four hex digits).
 *
 * <p>It logs when the handler returns, when it throws an {@link HttpException} (its status) and when
 * it throws anything else (500), then rethrows. A sink that throws is reported to
 * {@code System.Logger} and does not change the response. Put it outermost, so that its timing and
 * length cover the other filters.
 *
 * <pre>{@code
 * Filter accessLog = new AccessLogFilter(line -> System.out.println(line));
 * Handler app = Filter.chain(router, accessLog, new CorsFilter("*"), new GzipFilter());
 * }</pre>
 */
public final class AccessLogFilter implements Filter {

    private static final System.Logger LOG = System.getLogger("io.jhttpd.access");
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Consumer<String> sink;
    private final Clock clock;

    /**
     * Logs to {@code sink}, stamped with the system clock in UTC. The sink runs on the connection's
     * thread after each request, so it should be quick (such as {@code System.out::println}).
     */
    public AccessLogFilter(Consumer<String> sink) {
        this(sink, Clock.systemUTC());
    }

    /** With the clock that stamps each line (for tests, or another source of time). */
    public AccessLogFilter(Consumer<String> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public Response apply(Request request, Handler next) throws Exception {
        long arrived = clock.millis();
        long start = System.nanoTime();
        Status status = Status.INTERNAL_SERVER_ERROR_500;
        long length = -1;
        try {
            Response response = next.handle(request);
            status = response.status();
            length = bodyLength(request, response);
            return response;
        } catch (HttpException e) {
            status = e.status();
            throw e;
        } finally {
            emit(line(request, arrived, status, length, System.nanoTime() - start));
        }
    }

    private static long bodyLength(Request request, Response response) {
        if (request.method() == Method.HEAD || response.status().forbidsContent()) {
            return -1;
        }
        long length = response.body().length();
        return length > 0 ? length : -1;
    }

    String line(Request request, long arrivedMillis, Status status, long length, long nanos) {
        StringBuilder line = new StringBuilder(128);
        InetSocketAddress remote = request.remoteAddress();
        line.append(remote == null || remote.getAddress() == null ? "-" : remote.getAddress().getHostAddress());
        line.append(" - - [");
        CLF_TIME.formatTo(Instant.ofEpochMilli(arrivedMillis), line);
        line.append("] \"").append(request.method().name()).append(' ');
        escape(request.path(), line);
        if (request.query() != null) {
            line.append('?');
            escape(request.query(), line);
        }
        line.append(' ').append(request.version()).append("\" ").append(status.code()).append(' ');
        if (length < 0) {
            line.append('-');
        } else {
            line.append(length);
        }
        long micros = nanos / 1000;
        line.append(' ').append(micros / 1000).append('.');
        long fraction = micros % 1000;
        if (fraction < 100) {
            line.append(fraction < 10 ? "00" : "0");
        }
        return line.append(fraction).append("ms").toString();
    }

    /** Appends {@code s} so that it cannot end the quoted field or the line. */
    static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else if (c <= 0xFF) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
    }

    private void emit(String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "access log sink failed", e);
        }
    }
}
