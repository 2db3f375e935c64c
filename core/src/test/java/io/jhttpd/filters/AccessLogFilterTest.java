package io.jhttpd.filters;

import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.jhttpd.filters.FilterFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessLogFilterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T18:40:12.345Z"), ZoneOffset.UTC);
    private static final String PREFIX = "127.0.0.1 - - [23/Nov/2026:18:40:12 +0000] ";
    private static final String DURATION = " \\d+\\.\\d{3}ms";

    private final List<String> lines = new ArrayList<>();
    private final AccessLogFilter log = new AccessLogFilter(lines::add, CLOCK);

    @Test
    void writesCommonLogFormatWithDuration() throws Exception {
        log.apply(request(Method.GET, "/path?q=1"), req -> Response.ok().text("Hello, World!"));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith(PREFIX + "\"GET /path?q=1 HTTP/1.1\" 200 13 ")
                .matches(".*" + DURATION);
    }

    @Test
    void logsADashForHeadEmptyAndStreamedBodies() throws Exception {
        log.apply(request(Method.HEAD, "/"), req -> Response.ok().text("Hello"));
        log.apply(request(Method.GET, "/"), req -> Response.of(Status.NO_CONTENT_204));
        log.apply(request(Method.GET, "/"), req -> Response.ok().stream("text/plain", out -> { }));
        assertThat(lines).allSatisfy(line -> assertThat(line).matches(".*\" (200|204) -" + DURATION));
    }

    @Test
    void logsTheStatusOfAnHttpExceptionAndRethrowsIt() {
        assertThatThrownBy(() -> log.apply(request(Method.GET, "/missing"), req -> {
            throw new HttpException(Status.NOT_FOUND_404, "Not found");
        })).isInstanceOf(HttpException.class);
        assertThat(lines).singleElement().satisfies(line ->
                assertThat(line).startsWith(PREFIX + "\"GET /missing HTTP/1.1\" 404 - "));
    }

    @Test
    void logsAnyOtherFailureAs500AndRethrowsIt() {
        assertThatThrownBy(() -> log.apply(request(Method.POST, "/boom"), req -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(lines).singleElement().satisfies(line ->
                assertThat(line).startsWith(PREFIX + "\"POST /boom HTTP/1.1\" 500 - "));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersSoNoLineCanBeForged() throws Exception {
        log.apply(request(Method.GET, "/a\"b\\c\r\n127.0.0.1 - - [x] \"GET /admin\u00e9\u20ac"),
                req -> Response.ok().text("x"));
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("\r", "\n");
            assertThat(line).contains("\"GET /a\\\"b\\\\c\\x0d\\x0a127.0.0.1 - - [x] \\\"GET /admin\\xe9\\u20ac HTTP/1.1\"");
        });
    }

    @Test
    void aFailingSinkDoesNotFailTheRequest() throws Exception {
        AccessLogFilter broken = new AccessLogFilter(line -> {
            throw new IllegalStateException("disk full");
        });
        Response r = broken.apply(request(Method.GET, "/"), req -> Response.ok().text("fine"));
        assertThat(r.status()).isEqualTo(Status.OK_200);
    }
}
