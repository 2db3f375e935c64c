package io.jhttpd.files;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.filters.AccessLogFilter;
import io.jhttpd.filters.CorsFilter;
import io.jhttpd.filters.GzipFilter;
import io.jhttpd.http.Filter;
import io.jhttpd.http.HttpDate;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static files behind the whole filter chain (access log, CORS, gzip), over real sockets: raw bytes
 * in, parsed responses out.
 */
class StaticFilesWireTest {

    /** Sun, 06 Nov 1994 08:49:37 GMT */
    private static final Instant MODIFIED = Instant.ofEpochSecond(784111777L);
    private static final String MODIFIED_TEXT = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String CSS = "body { color: rebeccapurple; }\n".repeat(40);
    private static final String SECRET = "TOPSECRET";

    @TempDir
    static Path dir;
    private static HttpServer server;
    private static final BlockingQueue<String> LOG = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("site.css"), CSS);
        Files.setLastModifiedTime(root.resolve("site.css"), FileTime.from(MODIFIED));
        Files.write(root.resolve("digits.bin"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.createSymbolicLink(root.resolve("leak.txt"), dir.resolve("secret.txt"));
        StaticFiles replaceable = new StaticFiles(Files.createDirectories(dir.resolve("replaceable")));
        Router router = new Router()
                .get("/static/{path...}", new StaticFiles(root))
                .get("/replaced/{path...}", request -> {
                    // An upload renames a new version over the file after the handler chose it, before
                    // the response is written: the client must get one whole version, not a mixture.
                    Response response = replaceable.handle(request);
                    Path file = dir.resolve("replaceable").resolve(request.pathParam("path"));
                    Path next = Files.writeString(dir.resolve("next.tmp"), "new");
                    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return response;
                })
                .get("/teapot", request -> {
                    throw new HttpException(Status.of(418), "No coffee");
                })
                .get("/boom", request -> {
                    throw new IllegalStateException("deliberate failure");
                });
        server = HttpServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                        .withShutdownGrace(Duration.ofSeconds(5)),
                Filter.chain(router, new AccessLogFilter(LOG::add), new CorsFilter("*"), new GzipFilter()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clearLog() {
        LOG.clear();
    }

    private static Reply exchange(String raw) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            return c.send(raw).read(raw.startsWith("HEAD "));
        }
    }

    /** A request with field lines given as name, value pairs. */
    private static String request(String method, String target, String... nameValues) {
        String[] lines = new String[nameValues.length / 2 + 3];
        lines[0] = method + " " + target + " HTTP/1.1";
        lines[1] = "Host: test";
        for (int i = 0; i < nameValues.length; i += 2) {
            lines[2 + i / 2] = nameValues[i] + ": " + nameValues[i + 1];
        }
        lines[lines.length - 1] = "";
        return crlf(lines);
    }

    private static String etagOfCss() throws IOException {
        return exchange(get("/static/site.css")).header("ETag");
    }

    @Test
    void servesAFileWithTypeValidatorsAndAcceptRanges() throws IOException {
        Reply r = exchange(get("/static/site.css"));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(CSS.length()));
        // size, modification time in ns, and the file's identity (its inode), each in hex
        assertThat(r.header("ETag")).matches("\"" + Long.toHexString(CSS.length()) + "-"
                + Long.toHexString(TimeUnit.SECONDS.toNanos(MODIFIED.getEpochSecond())) + "-[0-9a-f]+\"");
        assertThat(r.header("Last-Modified")).isEqualTo(MODIFIED_TEXT);
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.bodyText()).isEqualTo(CSS);
    }

    @Test
    void answers304ToAMatchingIfNoneMatch() throws IOException {
        String etag = etagOfCss();
        Reply r = exchange(request("GET", "/static/site.css", "If-None-Match", "\"nope\", " + etag));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 304 Not Modified");
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(r.header("Last-Modified")).isEqualTo(MODIFIED_TEXT);
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.head()).doesNotContain("Transfer-Encoding");
        assertThat(r.header("Content-Type")).as("RFC 9110 §15.4.5: no representation metadata").isNull();
    }

    @Test
    void answers304ToIfModifiedSinceAndNoBodyFollows() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(request("GET", "/static/site.css", "If-Modified-Since", MODIFIED_TEXT)).read();
            assertThat(r.status()).isEqualTo(304);
            // The next response must start right away: nothing of the 304 was a body.
            assertThat(c.send(get("/static/digits.bin")).read().bodyText()).isEqualTo("0123456789");
        }
        assertThat(exchange(request("GET", "/static/site.css", "If-Modified-Since",
                "Sun, 06 Nov 1994 08:49:36 GMT")).status()).isEqualTo(200);
    }

    @Test
    void answers412ToAFalseIfMatch() throws IOException {
        assertThat(exchange(request("GET", "/static/site.css", "If-Match", "\"stale\"")).status()).isEqualTo(412);
    }

    @Test
    void answers206WithContentRangeForOneRange() throws IOException {
        Reply r = exchange(request("GET", "/static/digits.bin", "Range", "bytes=2-5"));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 206 Partial Content");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 2-5/10");
        assertThat(r.header("Content-Length")).isEqualTo("4");
        assertThat(r.bodyText()).isEqualTo("2345");
        assertThat(exchange(request("GET", "/static/digits.bin", "Range", "bytes=-3")).bodyText()).isEqualTo("789");
    }

    @Test
    void answers416WithTheCompleteLengthForARangePastTheEnd() throws IOException {
        Reply r = exchange(request("GET", "/static/digits.bin", "Range", "bytes=10-"));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 416 Range Not Satisfiable");
        assertThat(r.header("Content-Range")).isEqualTo("bytes */10");
    }

    @Test
    void sendsTheFullFileForMultipleRangesOrAStaleIfRange() throws IOException {
        assertThat(exchange(request("GET", "/static/digits.bin", "Range", "bytes=0-1,4-5")).bodyText())
                .isEqualTo("0123456789");
        Reply stale = exchange(request("GET", "/static/digits.bin", "Range", "bytes=0-1", "If-Range", "\"old\""));
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo("0123456789");
    }

    /**
     * RFC 9110 §8.8.2.1: Last-Modified never follows the response's Date; a file whose clock says 2030
     * is dated now. And §8.8.2.2, §13.1.5: the date it gets is weak while its second lasts, so an
     * If-Range with it gets the whole file, never a slice that could belong to another version.
     */
    @Test
    void aFileModifiedInTheFutureIsDatedNowAndItsDateDoesNotHoldARange() throws IOException {
        Path future = dir.resolve("public/future.bin");
        Files.write(future, "0123456789".getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(future, FileTime.from(Instant.parse("2030-06-01T00:00:00Z")));
        Reply r = exchange(request("GET", "/static/future.bin"));
        long lastModified = HttpDate.parse(r.header("Last-Modified"));
        assertThat(lastModified).as(r.header("Last-Modified")).isLessThanOrEqualTo(HttpDate.parse(r.header("Date")));

        for (String validator : List.of(r.header("Last-Modified"), "Sat, 01 Jun 2030 00:00:00 GMT")) {
            Reply whole = exchange(request("GET", "/static/future.bin", "Range", "bytes=0-1", "If-Range", validator));
            assertThat(whole.status()).as(validator).isEqualTo(200);
            assertThat(whole.bodyText()).isEqualTo("0123456789");
        }
        Reply slice = exchange(request("GET", "/static/future.bin", "Range", "bytes=0-1", "If-Range", r.header("ETag")));
        assertThat(slice.status()).isEqualTo(206);
    }

    @Test
    void headGetsGetsHeadersWithoutABodyAndIgnoresRange() throws IOException {
        Reply get = exchange(request("GET", "/static/site.css", "Accept-Encoding", "gzip"));
        try (RawClient c = new RawClient(server.port())) {
            Reply head = c.send(request("HEAD", "/static/site.css", "Accept-Encoding", "gzip", "Range", "bytes=0-1"))
                    .read(true);
            assertThat(head.status()).isEqualTo(200);
            for (String name : new String[] {"Content-Type", "Content-Length", "Content-Encoding", "ETag",
                    "Last-Modified", "Vary", "Access-Control-Allow-Origin"}) {
                assertThat(head.header(name)).as(name).isNotNull().isEqualTo(get.header(name));
            }
            // Not one body byte: the next response on the connection parses cleanly.
            assertThat(c.send(get("/static/digits.bin")).read().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void servesIndexHtmlForADirectoryWithASlash() throws IOException {
        Reply r = exchange(get("/static/docs/"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.bodyText()).isEqualTo("<h1>docs</h1>");
        assertThat(exchange(get("/static/")).bodyText()).isEqualTo("<h1>home</h1>");
    }

    @Test
    void redirectsADirectoryWithoutItsSlash() throws IOException {
        Reply r = exchange(get("/static/docs?x=1"));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 301 Moved Permanently");
        assertThat(r.header("Location")).isEqualTo("/static/docs/?x=1");
    }

    /** "docs%2F" decodes to a name with a slash: not the directory's slash form, and no redirect to a 404. */
    @Test
    void aDirectoryNamedWithAnEncodedSlashIsNotFound() throws IOException {
        assertThat(exchange(get("/static/docs%2F")).status()).isEqualTo(404);
        assertThat(exchange(get("/static/docs%2f?x=1")).status()).isEqualTo(404);
    }

    @Test
    void aFileReplacedAfterTheHandlerChoseItIsSentWholeAsItWasOpened() throws IOException {
        String old = "the old version, longer than the new one\n".repeat(100);
        Files.writeString(dir.resolve("replaceable/doc.txt"), old);
        Reply first = exchange(get("/replaced/doc.txt"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Content-Length")).isEqualTo(Integer.toString(old.length()));
        assertThat(first.bodyText()).isEqualTo(old);
        Reply second = exchange(get("/static/site.css"));
        assertThat(second.status()).isEqualTo(200); // the connection-level state is sound after it
        assertThat(Files.readString(dir.resolve("replaceable/doc.txt"))).isEqualTo("new");
    }

    @Test
    void responsesThatSendNoBodyCloseTheFileTheHandlerOpened() throws IOException {
        String etag = etagOfCss();
        long before = openDescriptors();
        try (RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 300; i++) {
                String raw = i % 2 == 0 ? request("HEAD", "/static/site.css")
                        : request("GET", "/static/site.css", "If-None-Match", etag);
                assertThat(c.send(raw).read(raw.startsWith("HEAD ")).status()).isIn(200, 304);
            }
        }
        assertThat(openDescriptors() - before).isLessThan(50);
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void answers404ForAMissingFile() throws IOException {
        assertThat(exchange(get("/static/nope.css")).status()).isEqualTo(404);
        assertThat(exchange(get("/static/digits.bin/")).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/static/..%2f..%2fetc/passwd",
            "/static/..%2fsecret.txt",
            "/static/%2e%2e/secret.txt",
            "/static/%2E%2E%2Fsecret.txt",
            "/static/a%5c..%5c..%5csecret.txt",
            "/static/..%5csecret.txt",
            "/static/leak.txt",
            "/static/%2fetc%2fpasswd",
            "/static/docs/..%2f..%2fsecret.txt",
            "/static//etc/passwd",
            "/static/C:%5cWindows%5cwin.ini",
    })
    void neverServesAFileOutsideTheRoot(String target) throws IOException {
        Reply r = exchange(get(target));
        assertThat(r.status()).as(target).isIn(400, 404);
        assertThat(r.bodyText()).doesNotContain(SECRET).doesNotContain("root:");
    }

    @Test
    void answers400ToANulInThePath() throws IOException {
        Reply r = exchange(get("/static/%00"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(exchange(get("/static/site.css%00.png")).status()).isEqualTo(400);
    }

    @Test
    void gzipsWhenAcceptedWithTheVariantsOwnETagAndVary() throws IOException {
        Reply r = exchange(request("GET", "/static/site.css", "Accept-Encoding", "br;q=1, gzip;q=0.5"));
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("ETag")).startsWith("\"").endsWith("-gzip\"");
        assertThat(r.header("Accept-Ranges")).isNull();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CSS);
        }
        Reply revalidated = exchange(request("GET", "/static/site.css", "Accept-Encoding", "gzip",
                "If-None-Match", r.header("ETag")));
        assertThat(revalidated.status()).isEqualTo(304);
        assertThat(revalidated.header("ETag")).isEqualTo(r.header("ETag"));
    }

    @Test
    void aLargeFilesGzipVariantGoesWithItsLengthAndFollowsTheFilesChanges() throws IOException {
        Path file = dir.resolve("public/changing.css");
        String first = "body { margin: 0; } /* first */\n".repeat(13_000); // ~400 KB, past compress-at-once
        String second = first.replace("first", "other");
        Files.writeString(file, first);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        String gzip = request("GET", "/static/changing.css", "Accept-Encoding", "gzip");
        Reply r = exchange(gzip);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Transfer-Encoding")).as("a kept variant has a length").isNull();
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
        assertThat(gunzipped(r.body())).isEqualTo(first);
        Reply again = exchange(gzip);
        assertThat(again.body()).isEqualTo(r.body());
        assertThat(again.header("ETag")).isEqualTo(r.header("ETag"));

        Files.writeString(file, second); // the same length: only the modification time tells
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusSeconds(1)));
        Reply changed = exchange(gzip);
        assertThat(changed.header("ETag")).isNotEqualTo(r.header("ETag"));
        assertThat(gunzipped(changed.body())).isEqualTo(second);
        assertThat(exchange(request("HEAD", "/static/changing.css", "Accept-Encoding", "gzip")).header("Content-Length"))
                .as("HEAD's length is GET's").isEqualTo(changed.header("Content-Length"));
    }

    private static String gunzipped(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void refusingIdentityGetsGzipOr406() throws IOException {
        Reply gzipped = exchange(request("GET", "/static/digits.bin", "Accept-Encoding", "gzip, identity;q=0"));
        assertThat(gzipped.status()).isEqualTo(200);
        assertThat(gzipped.header("Content-Encoding")).as("even a small octet-stream").isEqualTo("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
        }
        assertThat(gzipped.header("ETag")).endsWith("-gzip\"");
        Reply revalidated = exchange(request("GET", "/static/digits.bin", "Accept-Encoding", "gzip, identity;q=0",
                "If-None-Match", gzipped.header("ETag")));
        assertThat(revalidated.status()).isEqualTo(304);
        assertThat(revalidated.header("ETag")).as("RFC 9110 §15.4.5: the 200's ETag").isEqualTo(gzipped.header("ETag"));
        assertThat(revalidated.header("Vary")).as("and its Vary").isEqualTo("Accept-Encoding");
        Reply refused = exchange(request("GET", "/static/site.css", "Accept-Encoding", "identity;q=0"));
        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.header("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void doesNotGzipWhenGzipHasQZero() throws IOException {
        Reply r = exchange(request("GET", "/static/site.css", "Accept-Encoding", "gzip;q=0, identity"));
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.bodyText()).isEqualTo(CSS);
    }

    @Test
    void doesNotGzipOrVaryAnIncompressibleType() throws IOException {
        Reply r = exchange(request("GET", "/static/digits.bin", "Accept-Encoding", "gzip"));
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isNull();
    }

    @Test
    void answersACorsPreflightWith204AndTheFourHeaders() throws IOException {
        Reply r = exchange(request("OPTIONS", "/static/site.css", "Origin", "https://app.example",
                "Access-Control-Request-Method", "GET"));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 204 No Content");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
        assertThat(r.header("Access-Control-Allow-Headers")).contains("Content-Type");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("86400");
    }

    @Test
    void putsAllowOriginOnNormalAndErrorResponses() throws IOException {
        assertThat(exchange(get("/static/site.css")).header("Access-Control-Allow-Origin")).isEqualTo("*");
        Reply missing = exchange(get("/static/nope.css"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Access-Control-Allow-Origin")).isEqualTo("*");
        Reply teapot = exchange(get("/teapot"));
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.header("Access-Control-Allow-Origin")).isEqualTo("*");
        Reply failure = exchange(get("/boom"));
        assertThat(failure.status()).isEqualTo(500);
        assertThat(failure.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void logsOneCommonLogFormatLinePerRequest() throws Exception {
        exchange(get("/static/digits.bin?v=2"));
        exchange(get("/static/nope.css"));
        String ok = LOG.poll(5, TimeUnit.SECONDS);
        String missing = LOG.poll(5, TimeUnit.SECONDS);
        assertThat(ok).matches("127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "
                + "\"GET /static/digits\\.bin\\?v=2 HTTP/1\\.1\" 200 10 \\d+\\.\\d{3}ms");
        assertThat(missing).contains("\"GET /static/nope.css HTTP/1.1\" 404 - ");
    }

    @Test
    void worksWithTheJdkHttpClient() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/static/site.css");
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(CSS);
        String etag = first.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(304);
        assertThat(second.body()).isEmpty();
        HttpResponse<String> range = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=0-3").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("body");
    }
}
