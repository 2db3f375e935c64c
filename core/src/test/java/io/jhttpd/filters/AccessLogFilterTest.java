package io.jhttpd.filters;

import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
    void eachLineCarriesTheSecondItsRequestArrivedIn() throws Exception {
        Instant start = Instant.parse("2026-11-23T23:59:59.999Z");
        long[] offsets = {0, 1, 1, 0, 1_001, 86_400_000L * 40};
        String[] stamps = {"23/Nov/2026:23:59:59", "24/Nov/2026:00:00:00", "24/Nov/2026:00:00:00",
            "23/Nov/2026:23:59:59", "24/Nov/2026:00:00:01", "02/Jan/2027:23:59:59"};
        for (int i = 0; i < offsets.length; i++) {
            Clock clock = Clock.fixed(start.plusMillis(offsets[i]), ZoneOffset.UTC);
            new AccessLogFilter(lines::add, clock).apply(request(Method.GET, "/"), req -> Response.ok());
            assertThat(lines.get(i)).as("line %d", i).startsWith("127.0.0.1 - - [" + stamps[i] + " +0000] ");
        }
        String[] iso = {"2026-11-23T23:59:59.999Z", "2026-11-24T00:00:00.000Z", "2026-11-24T00:00:00.000Z",
            "2026-11-23T23:59:59.999Z", "2026-11-24T00:00:01.000Z", "2027-01-02T23:59:59.999Z"};
        for (int i = 0; i < offsets.length; i++) {
            Clock clock = Clock.fixed(start.plusMillis(offsets[i]), ZoneOffset.UTC);
            List<String> json = new ArrayList<>();
            new AccessLogFilter(AccessLogFilter.Format.JSON, json::add, clock)
                    .apply(request(Method.GET, "/"), req -> Response.ok());
            assertThat(json.get(0)).as("JSON line %d", i).startsWith("{\"time\":\"" + iso[i] + "\",");
        }
        Clock early = Clock.fixed(Instant.parse("2026-11-24T10:00:00.042Z"), ZoneOffset.UTC);
        List<String> json = new ArrayList<>();
        new AccessLogFilter(AccessLogFilter.Format.JSON, json::add, early).apply(request(Method.GET, "/"), req -> Response.ok());
        assertThat(json.get(0)).startsWith("{\"time\":\"2026-11-24T10:00:00.042Z\",");
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
    void measuringErrorsLogsTheLengthOfTheBodyTheServerWillRender() {
        ErrorHandler errors = (request, error) -> Response.of(error.status()).text("{\"error\":\"" + error.publicMessage() + "\"}");
        AccessLogFilter measuring = new AccessLogFilter(lines::add, CLOCK).measuringErrorsWith(errors);
        Handler missing = req -> {
            throw new HttpException(Status.NOT_FOUND_404, "Not found");
        };
        assertThatThrownBy(() -> measuring.apply(request(Method.GET, "/missing"), missing)).isInstanceOf(HttpException.class);
        assertThatThrownBy(() -> measuring.apply(request(Method.HEAD, "/missing"), missing)).isInstanceOf(HttpException.class);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(PREFIX + "\"GET /missing HTTP/1.1\" 404 21 ");
        assertThat(lines.get(1)).as("no body for HEAD").startsWith(PREFIX + "\"HEAD /missing HTTP/1.1\" 404 - ");
    }

    @Test
    void measuringErrorsLogsTheLengthOfTheInternalErrorAnyOtherFailureBecomes() {
        ErrorHandler errors = (request, error) -> Response.of(error.status()).text("{\"error\":\"" + error.publicMessage() + "\"}");
        AccessLogFilter measuring = new AccessLogFilter(lines::add, CLOCK).measuringErrorsWith(errors);
        assertThatThrownBy(() -> measuring.apply(request(Method.GET, "/boom"), req -> {
            throw new OutOfMemoryError("deliberate");
        })).isInstanceOf(OutOfMemoryError.class);
        assertThat(lines).singleElement().satisfies(line ->
                assertThat(line).startsWith(PREFIX + "\"GET /boom HTTP/1.1\" 500 33 "));
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
    void commonFormatIsExactToTheMicrosecond() {
        assertThat(log.line(request(Method.GET, "/path?q=1"), CLOCK.millis(), Status.OK_200, 13, 1_234_567))
                .isEqualTo(PREFIX + "\"GET /path?q=1 HTTP/1.1\" 200 13 1.234ms");
        assertThat(log.line(request(Method.GET, "/"), CLOCK.millis(), Status.NOT_MODIFIED_304, -1, 5_000))
                .isEqualTo(PREFIX + "\"GET / HTTP/1.1\" 304 - 0.005ms");
    }

    @Test
    void combinedFormatAddsRefererAndUserAgentQuotedOrADash() {
        AccessLogFilter combined = new AccessLogFilter(AccessLogFilter.Format.COMBINED, lines::add, CLOCK);
        assertThat(combined.line(request(Method.GET, "/a", "Referer", "https://example.com/x?y=1",
                "User-Agent", "curl/8.5.0"), CLOCK.millis(), Status.OK_200, 2, 250_000))
                .isEqualTo(PREFIX + "\"GET /a HTTP/1.1\" 200 2 \"https://example.com/x?y=1\" \"curl/8.5.0\" 0.250ms");
        assertThat(combined.line(request(Method.POST, "/b"), CLOCK.millis(), Status.CREATED_201, -1, 0))
                .isEqualTo(PREFIX + "\"POST /b HTTP/1.1\" 201 - \"-\" \"-\" 0.000ms");
    }

    @Test
    void combinedFormatEscapesAUserAgentThatTriesToEndItsField() {
        AccessLogFilter combined = new AccessLogFilter(AccessLogFilter.Format.COMBINED, lines::add, CLOCK);
        assertThat(combined.line(request(Method.GET, "/", "User-Agent", "x\" 200 1 \"\tfake\u00ff"),
                CLOCK.millis(), Status.OK_200, 1, 0))
                .endsWith("\"-\" \"x\\\" 200 1 \\\"\\x09fake\\xff\" 0.000ms");
    }

    @Test
    void jsonFormatWritesEveryKeyWithNullForWhatIsAbsent() {
        AccessLogFilter json = new AccessLogFilter(AccessLogFilter.Format.JSON, lines::add, CLOCK);
        assertThat(json.line(request(Method.GET, "/path?q=1", "User-Agent", "curl/8.5.0"), CLOCK.millis(),
                Status.OK_200, 13, 1_234_567)).isEqualTo("{\"time\":\"2026-11-23T18:40:12.345Z\","
                + "\"remote\":\"127.0.0.1\",\"method\":\"GET\",\"path\":\"/path\",\"query\":\"q=1\","
                + "\"version\":\"HTTP/1.1\",\"status\":200,\"bytes\":13,\"duration_ms\":1.234,"
                + "\"referer\":null,\"user_agent\":\"curl/8.5.0\"}");
        assertThat(json.line(request(Method.DELETE, "/x"), CLOCK.millis(), Status.NO_CONTENT_204, -1, 0))
                .contains("\"query\":null,").contains("\"bytes\":null,").endsWith("\"referer\":null,\"user_agent\":null}");
    }

    @Test
    void jsonFormatEscapesQuotesBackslashesControlAndNonAsciiCharacters() {
        AccessLogFilter json = new AccessLogFilter(AccessLogFilter.Format.JSON, lines::add, CLOCK);
        String line = json.line(request(Method.GET, "/a\"b\\c\r\n\u20ac", "Referer", "\t{\"x\":1}",
                "User-Agent", "caf\u00e9"), CLOCK.millis(), Status.OK_200, 1, 0);
        assertThat(line).contains("\"path\":\"/a\\\"b\\\\c\\u000d\\u000a\\u20ac\"")
                .contains("\"referer\":\"\\u0009{\\\"x\\\":1}\"")
                .contains("\"user_agent\":\"caf\\u00e9\"")
                .matches("[\\x20-\\x7e]+");
    }

    /** The parser keeps a field one char per byte: UTF-8 bytes are logged as the characters they spell. */
    @Test
    void jsonFormatReadsAFieldsUtf8BytesAsTheirCharacters() {
        AccessLogFilter json = new AccessLogFilter(AccessLogFilter.Format.JSON, lines::add, CLOCK);
        String utf8AsBytes = new String("\u00fcn\u00ef \u2603".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String line = json.line(request(Method.GET, "/", "User-Agent", utf8AsBytes, "Referer", "caf\u00e9"),
                CLOCK.millis(), Status.OK_200, 1, 0);
        assertThat(line).contains("\"user_agent\":\"\\u00fcn\\u00ef \\u2603\"")
                .contains("\"referer\":\"caf\\u00e9\"") // not UTF-8: each byte as it came
                .matches("[\\x20-\\x7e]+");
    }

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void refusalsAreLoggedWithTheRequestLineAsReceivedInEachFormat() {
        log.refusals().requestRefused(CLIENT, "GET /a\"b\u0001 HTTP/1.1", Status.BAD_REQUEST_400, 44, 2_000_000);
        log.refusals().requestRefused(CLIENT, null, Status.URI_TOO_LONG_414, 40, 0);
        log.refusals().requestRefused(CLIENT, "HEAD / HTTP/2.0", Status.HTTP_VERSION_NOT_SUPPORTED_505, -1, 0);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("127.0.0.1 - - [23/Nov/2026:18:40:12 +0000] \"GET /a\\\"b\\x01 HTTP/1.1\" 400 44 2.000ms");
        assertThat(lines.get(1)).startsWith(PREFIX + "\"-\" 414 40 ");
        assertThat(lines.get(2)).startsWith(PREFIX + "\"HEAD / HTTP/2.0\" 505 - ");

        AccessLogFilter combined = new AccessLogFilter(AccessLogFilter.Format.COMBINED, lines::add, CLOCK);
        combined.refusals().requestRefused(CLIENT, "GET / HTTP/1.1", Status.BAD_REQUEST_400, 44, 0);
        assertThat(lines.get(3)).startsWith(PREFIX + "\"GET / HTTP/1.1\" 400 44 \"-\" \"-\" ").matches(".*" + DURATION);

        AccessLogFilter json = new AccessLogFilter(AccessLogFilter.Format.JSON, lines::add, CLOCK);
        json.refusals().requestRefused(CLIENT, "GET /p?q=1 HTTP/1.1", Status.BAD_REQUEST_400, 44, 400_000_000);
        json.refusals().requestRefused(CLIENT, "garbage", Status.BAD_REQUEST_400, 44, 0);
        assertThat(lines.get(4)).as("stamped when it arrived, 400 ms before it was answered")
                .isEqualTo("{\"time\":\"2026-11-23T18:40:11.945Z\",\"remote\":\"127.0.0.1\","
                + "\"method\":\"GET\",\"path\":\"/p\",\"query\":\"q=1\",\"version\":\"HTTP/1.1\",\"status\":400,"
                + "\"bytes\":44,\"duration_ms\":400.000,\"referer\":null,\"user_agent\":null}");
        assertThat(lines.get(5)).contains("\"method\":null,\"path\":null,\"query\":null,\"version\":null,\"status\":400");
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
