package io.jhttpd.filters;

import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jhttpd.filters.FilterFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorsFilterTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final Handler ok = request -> {
        calls.incrementAndGet();
        return Response.ok().text("ok");
    };

    @Test
    void answersAPreflightWith204AndTheFourHeadersWithoutCallingTheHandler() throws Exception {
        Response r = new CorsFilter("*").apply(request(Method.OPTIONS, "/data",
                "Origin", "https://a.example", "Access-Control-Request-Method", "PUT"), ok);
        assertThat(r.status()).isEqualTo(Status.NO_CONTENT_204);
        assertThat(r.headers().first("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.headers().first("Access-Control-Allow-Methods"))
                .isEqualTo("GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
        assertThat(r.headers().first("Access-Control-Allow-Headers"))
                .isEqualTo("Content-Type, Authorization, Accept, Origin, X-Requested-With");
        assertThat(r.headers().first("Access-Control-Max-Age")).isEqualTo("86400");
        assertThat(calls).hasValue(0);
    }

    @Test
    void anOptionsWithoutRequestMethodIsNotAPreflight() throws Exception {
        Response r = new CorsFilter("*").apply(request(Method.OPTIONS, "/data"), ok);
        assertThat(calls).hasValue(1);
        assertThat(r.headers().first("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.headers().contains("Access-Control-Allow-Methods")).isFalse();
    }

    @Test
    void addsTheWildcardToNormalResponsesWithoutVary() throws Exception {
        Response r = new CorsFilter("*").apply(request(Method.GET, "/", "Origin", "https://a.example"), ok);
        assertThat(r.headers().first("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.headers().contains("Access-Control-Expose-Headers")).as("nothing to expose").isFalse();
        assertThat(r.headers().contains("Vary")).isFalse();
    }

    @Test
    void exposesTheResponseFieldsWhenThereAreAnyAScriptCouldNotReadOtherwise() throws Exception {
        CorsFilter cors = new CorsFilter("*");
        Request from = request(Method.GET, "/", "Origin", "https://a.example");
        for (String field : new String[] {"Location", "ETag", "etag", "Content-Range", "X-Request-Id"}) {
            Response r = cors.apply(from, req -> Response.ok().text("x").header(field, "v"));
            assertThat(r.headers().first("Access-Control-Expose-Headers")).as(field).isEqualTo("*");
        }
        for (String field : new String[] {"Cache-Control", "Content-Language", "Expires", "Last-Modified", "Pragma",
                "Vary", "content-language", "LAST-MODIFIED"}) {
            Response r = cors.apply(from, req -> Response.ok().text("x").header(field, "v"));
            assertThat(r.headers().contains("Access-Control-Expose-Headers")).as(field).isFalse();
        }
        HttpException notAllowed = new HttpException(Status.METHOD_NOT_ALLOWED_405, "no").withHeader("Allow", "GET");
        assertThatThrownBy(() -> cors.apply(from, req -> { throw notAllowed; })).isSameAs(notAllowed);
        assertThat(notAllowed.headers().first("Access-Control-Expose-Headers")).as("Allow on a 405").isEqualTo("*");
    }

    @Test
    void echoesASpecificOriginOnlyWhenItMatchesAndAlwaysVaries() throws Exception {
        CorsFilter cors = new CorsFilter("https://app.example");
        Response match = cors.apply(request(Method.GET, "/", "Origin", "https://app.example"), ok);
        assertThat(match.headers().first("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(match.headers().first("Vary")).isEqualTo("Origin");
        Response other = cors.apply(request(Method.GET, "/", "Origin", "https://evil.example"), ok);
        assertThat(other.headers().contains("Access-Control-Allow-Origin")).isFalse();
        assertThat(other.headers().contains("Access-Control-Expose-Headers")).isFalse();
        assertThat(other.headers().first("Vary")).isEqualTo("Origin");
        Response preflight = cors.apply(request(Method.OPTIONS, "/", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "GET"), ok);
        assertThat(preflight.headers().contains("Access-Control-Allow-Origin")).isFalse();
        assertThat(preflight.headers().contains("Access-Control-Allow-Methods")).isFalse();
    }

    @Test
    void putsTheOriginOnAnHttpExceptionAndRethrowsIt() {
        CorsFilter cors = new CorsFilter("https://app.example");
        HttpException thrown = new HttpException(Status.NOT_FOUND_404, "Not found");
        assertThatThrownBy(() -> cors.apply(request(Method.GET, "/", "Origin", "https://app.example"),
                req -> { throw thrown; }))
                .isSameAs(thrown);
        assertThat(thrown.headers().first("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(thrown.headers().first("Vary")).isEqualTo("Origin");
    }

    @Test
    void withersReplaceTheDefaults() throws Exception {
        CorsFilter cors = new CorsFilter("*").withAllowedMethods(Method.GET, Method.POST)
                .withAllowedHeaders("X-Token").withMaxAge(Duration.ofMinutes(10));
        Response r = cors.apply(request(Method.OPTIONS, "/", "Access-Control-Request-Method", "POST"), ok);
        assertThat(r.headers().first("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
        assertThat(r.headers().first("Access-Control-Allow-Headers")).isEqualTo("X-Token");
        assertThat(r.headers().first("Access-Control-Max-Age")).isEqualTo("600");
    }

    @Test
    void echoesRequestedHeadersOnlyWhenTheyAreTokens() throws Exception {
        CorsFilter cors = new CorsFilter("*").withRequestHeadersEchoed();
        Response r = cors.apply(request(Method.OPTIONS, "/", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "x-custom, content-type"), ok);
        assertThat(r.headers().first("Access-Control-Allow-Headers")).isEqualTo("x-custom, content-type");
        assertThat(r.headers().first("Vary")).isEqualTo("Access-Control-Request-Headers");
        Response bad = cors.apply(request(Method.OPTIONS, "/", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "x (y)"), ok);
        assertThat(bad.headers().first("Access-Control-Allow-Headers"))
                .isEqualTo("Content-Type, Authorization, Accept, Origin, X-Requested-With");
    }

    @Test
    void refusesAnOriginThatCouldSplitOrListHeaders() {
        assertThatThrownBy(() -> new CorsFilter("https://a.example, https://b.example"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CorsFilter("https://a.example\r\nX: y"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takesAnOriginOnlyAsABrowserSendsIt() {
        for (String origin : List.of("*", "https://app.example", "http://localhost:3000", "http://127.0.0.1:8080",
                "http://[::1]:8080", "http://[::1]", "https://xn--bcher-kva.example", "chrome-extension://abcdef",
                "http://app.example:443", "https://app.example:80")) {
            assertThat(CorsFilter.isAllowedOrigin(origin)).as(origin).isTrue();
        }
        for (String origin : List.of("", "null", "app.example", "https://app.example/", "https://app.example/x",
                "https://app.example?q", "https://app.example#f", "https://app.example:65536", "https://app.example:",
                "https://u@app.example", "https://", "https://[::1", "https://[::1]x", "https://[g::1]", "1http://a.b",
                "https://a b", "https://a.b, https://c.d", "https://App.example", "HTTPS://app.example",
                "https://app.example:443", "http://app.example:80", "http://app.example:080", "http://app.example:0",
                "http://[::1", "http://[::1]]")) {
            assertThat(CorsFilter.isAllowedOrigin(origin)).as(origin).isFalse();
        }
    }
}
