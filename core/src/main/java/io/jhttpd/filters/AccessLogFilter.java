package io.jhttpd.filters;

import io.jhttpd.ServerListener;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.Status;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes one line per request to a sink, in one of three {@link Format}s. The default, Common Log
 * Format followed by the handling time:
 *
 * <pre>
 * 127.0.0.1 - - [23/Nov/2026:18:40:12 +0000] "GET /path?q=1 HTTP/1.1" 200 13 0.123ms
 * </pre>
 *
 * <p>Fields: client address, {@code -} (identd), {@code -} (user), the time the request arrived in
 * UTC, the request line in quotes, the status, the body length in bytes and the time spent in the
 * handlers below this filter in milliseconds with three decimals. As in CLF, the length is {@code -}
 * when no body is sent or its length is not known here: a HEAD, a 204 or 304, an empty or streamed
 * body, and errors thrown below it (the server renders those after this filter) unless the filter
 * is {@link #measuringErrorsWith measuring errors}; a crash (500) is {@code -} either way. Within the request
 * line, bytes the client chose are escaped so that no request can forge or split a line:
 * {@code "} and {@code \} get a backslash, control characters and anything outside printable ASCII
 * become {@code \xHH} (above U+00FF: a backslash, {@code u} and four hex digits).
 * {@link Format#COMBINED} adds the {@code Referer} and {@code User-Agent} fields, quoted and escaped
 * alike, before the time; {@link Format#JSON} writes the same facts as one JSON object per line.
 *
 * <p>It logs when the handler returns, when it throws an {@link HttpException} (its status) and when
 * it throws anything else (500), then rethrows. A sink that throws is reported to
 * {@code System.Logger} and does not change the response. The sink runs on the request's thread: one
 * that may block (a file, a pipe, a terminal) belongs behind an {@link AsyncLogWriter}. Put the filter
 * outermost, so that its timing and length cover the other filters. Requests the server answers
 * before any handler (a malformed head, a declared body over the limit) reach no filter: give the
 * server {@link #refusals()} as a listener to log them too.
 *
 * <pre>{@code
 * AsyncLogWriter writer = AsyncLogWriter.toStream(System.out, 8192);
 * Filter accessLog = new AccessLogFilter(AccessLogFilter.Format.COMBINED, writer);
 * Handler app = Filter.chain(router, accessLog, new CorsFilter("*"), new GzipFilter());
 * }</pre>
 */
public final class AccessLogFilter implements Filter {

    /** What the server answers for a handler's failure that is not an {@link HttpException}. */
    private static final HttpException INTERNAL_ERROR =
            new HttpException(Status.INTERNAL_SERVER_ERROR_500, "Internal server error");

    /** The shape of a line. */
    public enum Format {
        /**
         * Common Log Format, then the duration:
         * {@code 127.0.0.1 - - [23/Nov/2026:18:40:12 +0000] "GET /a?q=1 HTTP/1.1" 200 13 0.123ms}.
         */
        COMMON,
        /**
         * Combined Log Format (Common, then the quoted {@code Referer} and {@code User-Agent}, {@code "-"}
         * when absent), then the duration:
         * {@code 127.0.0.1 - - [23/Nov/2026:18:40:12 +0000] "GET /a HTTP/1.1" 200 13 "-" "curl/8.5.0" 0.123ms}.
         */
        COMBINED,
        /**
         * One JSON object per line, always with the same keys, {@code null} where CLF writes {@code -}, and
         * only printable ASCII (other characters escaped as a backslash, {@code u} and four hex digits):
         * {@code {"time":"2026-11-23T18:40:12.345Z","remote":"127.0.0.1","method":"GET","path":"/a",
         * "query":"q=1","version":"HTTP/1.1","status":200,"bytes":13,"duration_ms":0.123,"referer":null,
         * "user_agent":"curl/8.5.0"}}.
         */
        JSON
    }

    private static final System.Logger LOG = System.getLogger("io.jhttpd.access");

    private final Format format;
    private final Consumer<String> sink;
    private final Clock clock;
    /** Renders an error to measure its body, as the server will; null to log errors' length as {@code -}. */
    private final ErrorHandler errors;

    /**
     * Common Log Format to {@code sink}, stamped with the system clock in UTC. The sink runs on the
     * connection's thread after each request, so it should be quick (such as {@code System.out::println},
     * or an {@link AsyncLogWriter}, which never blocks).
     */
    public AccessLogFilter(Consumer<String> sink) {
        this(Format.COMMON, sink, Clock.systemUTC());
    }

    /** Common Log Format, with the clock that stamps each line (for tests, or another source of time). */
    public AccessLogFilter(Consumer<String> sink, Clock clock) {
        this(Format.COMMON, sink, clock);
    }

    /**
     * Lines of {@code format} to {@code sink}, stamped with the system clock in UTC.
     *
     * @param format the shape of each line
     * @param sink   takes each line, on the connection's thread: keep it quick
     */
    public AccessLogFilter(Format format, Consumer<String> sink) {
        this(format, sink, Clock.systemUTC());
    }

    /**
     * Lines of {@code format} to {@code sink}, stamped with {@code clock}.
     *
     * @param format the shape of each line
     * @param sink   takes each line, on the connection's thread: keep it quick
     * @param clock  the source of each line's time stamp
     */
    public AccessLogFilter(Format format, Consumer<String> sink, Clock clock) {
        this(format, sink, clock, null);
    }

    private AccessLogFilter(Format format, Consumer<String> sink, Clock clock, ErrorHandler errors) {
        this.format = Objects.requireNonNull(format, "format");
        this.sink = sink;
        this.clock = clock;
        this.errors = errors;
    }

    /**
     * This filter, logging the body length of an error that a handler or filter below it throws as an
     * {@link HttpException}: the server renders that error after this filter has run, so to log its
     * length the filter renders it once more with the same handler (give it the one the server was
     * started with). Without this, such an error's length is {@code -}.
     *
     * @param errorHandler the server's error handler
     * @return a filter like this one that measures errors
     */
    public AccessLogFilter measuringErrorsWith(ErrorHandler errorHandler) {
        return new AccessLogFilter(format, sink, clock, Objects.requireNonNull(errorHandler, "errorHandler"));
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
            length = errorBodyLength(request, e);
            throw e;
        } catch (Exception | Error e) {
            length = errorBodyLength(request, INTERNAL_ERROR); // the 500 the server renders for it
            throw e;
        } finally {
            emit(line(request, arrived, status, length, System.nanoTime() - start));
        }
    }

    /** The length of the body the server will send for {@code error}, or -1 when not measured or none. */
    private long errorBodyLength(Request request, HttpException error) {
        if (errors == null || request.method() == Method.HEAD || error.status().forbidsContent()) {
            return -1;
        }
        try {
            ResponseBody body = errors.render(request, error).body();
            body.release();
            return body.length() > 0 ? body.length() : -1;
        } catch (RuntimeException e) {
            return -1; // the server falls back to its plain-text error; not worth a second guess here
        }
    }

    private static long bodyLength(Request request, Response response) {
        if (request.method() == Method.HEAD || response.status().forbidsContent()) {
            return -1;
        }
        long length = response.body().length();
        return length > 0 ? length : -1;
    }

    /**
     * A listener for the server ({@link io.jhttpd.ServerConfig#withListener}, combined with others by
     * {@link ServerListener#all}) that writes a line, in this filter's format and to its sink, for each
     * request the server answers before any handler: a malformed head, one over a limit, a declared
     * body over the limit. Without it those requests are not logged, since no filter sees them. Their
     * request line is the one received, escaped like any other ({@code "-"} when it did not arrive
     * whole); their length is the error body's.
     */
    public ServerListener refusals() {
        return new ServerListener() {
            @Override
            public void requestRefused(InetSocketAddress remote, String requestLine, Status status, long bodyBytes,
                                       long durationNanos) {
                long arrived = clock.millis() - durationNanos / 1_000_000;
                emit(AccessLogFormats.refused(format, remote, requestLine, arrived, status, bodyBytes, durationNanos));
            }
        };
    }

    String line(Request request, long arrivedMillis, Status status, long length, long nanos) {
        return switch (format) {
            case COMMON -> AccessLogFormats.common(request, arrivedMillis, status, length, nanos);
            case COMBINED -> AccessLogFormats.combined(request, arrivedMillis, status, length, nanos);
            case JSON -> AccessLogFormats.json(request, arrivedMillis, status, length, nanos);
        };
    }

    private void emit(String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "access log sink failed", e);
        }
    }
}
