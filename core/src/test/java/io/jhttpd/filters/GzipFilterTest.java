package io.jhttpd.filters;

import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static io.jhttpd.filters.FilterFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The gzip filter alone, on responses built in memory. */
class GzipFilterTest {

    private static final String TEXT = "Hello, compressible world! ".repeat(40);
    private static final Request ACCEPTS_GZIP = request(Method.GET, "/", "Accept-Encoding", "gzip, br");

    private static Response apply(Request request, Handler handler) throws Exception {
        return new GzipFilter().apply(request, handler);
    }

    private static Response text(String body) {
        return Response.ok().text(body).header("ETag", "\"abc\"").header("Accept-Ranges", "bytes");
    }

    static byte[] gunzip(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    static byte[] bytesOf(ResponseBody body) throws IOException {
        return switch (body) {
            case ResponseBody.Bytes bytes -> bytes.bytes();
            case ResponseBody.Streamed streamed -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                streamed.writer().writeTo(out);
                yield out.toByteArray();
            }
            default -> throw new AssertionError("unexpected body " + body);
        };
    }

    @Test
    void aClientThatRefusesIdentityGetsGzipWhateverTheTypeAndSize() throws Exception {
        Request refusesIdentity = request(Method.GET, "/", "Accept-Encoding", "gzip, identity;q=0");
        Response small = apply(refusesIdentity, req -> text("tiny"));
        assertThat(small.headers().first("Content-Encoding")).isEqualTo("gzip");
        assertThat(gunzip(bytesOf(small.body()))).asString(StandardCharsets.UTF_8).isEqualTo("tiny");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        Response image = apply(request(Method.GET, "/", "Accept-Encoding", "*;q=0, gzip"),
                req -> Response.ok().body(png, "image/png"));
        assertThat(image.headers().first("Content-Encoding")).isEqualTo("gzip");
        assertThat(image.headers().first("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gunzip(bytesOf(image.body()))).isEqualTo(png);
    }

    @Test
    void aClientThatRefusesIdentityAndGzipGets406() {
        for (String field : new String[] {"br, identity;q=0", "*;q=0", "gzip;q=0, identity;q=0"}) {
            HttpException e = catchThrowableOfType(HttpException.class,
                    () -> apply(request(Method.GET, "/", "Accept-Encoding", field), req -> text(TEXT)));
            assertThat(e).as(field).isNotNull();
            assertThat(e.status().code()).as(field).isEqualTo(406);
            assertThat(e.headers().first("Vary")).isEqualTo("Accept-Encoding");
        }
    }

    @Test
    void refusingIdentityLeavesResponsesWithoutContentAndErrorsAlone() throws Exception {
        Request refusesAll = request(Method.GET, "/", "Accept-Encoding", "*;q=0");
        assertThat(apply(refusesAll, req -> Response.of(Status.NO_CONTENT_204)).status().code()).isEqualTo(204);
        Response notFound = apply(refusesAll, req -> Response.of(Status.NOT_FOUND_404).text("no such thing"));
        assertThat(notFound.status().code()).isEqualTo(404);
        assertThat(notFound.headers().first("Content-Encoding")).isNull();
    }

    @Test
    void compressesATextBodyAndMarksIt() throws Exception {
        Response r = apply(ACCEPTS_GZIP, req -> text(TEXT));
        assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.headers().first("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.headers().first("ETag")).as("the gzip variant's own strong tag").isEqualTo("\"abc-gzip\"");
        assertThat(r.headers().contains("Accept-Ranges")).isFalse();
        assertThat(r.body().length()).isLessThan(TEXT.length());
        assertThat(new String(gunzip(bytesOf(r.body())), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void leavesABodyBelowTheMinimumAloneButStillVaries() throws Exception {
        Response r = apply(ACCEPTS_GZIP, req -> text("short"));
        assertThat(r.headers().contains("Content-Encoding")).isFalse();
        assertThat(r.headers().first("ETag")).isEqualTo("\"abc\"");
        assertThat(r.headers().first("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void honoursAConfiguredMinimum() throws Exception {
        Response r = new GzipFilter(1).apply(ACCEPTS_GZIP, req -> text("short"));
        assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void doesNotCompressWhenGzipHasQZeroButStillVaries() throws Exception {
        Response r = apply(request(Method.GET, "/", "Accept-Encoding", "gzip;q=0, identity"), req -> text(TEXT));
        assertThat(r.headers().contains("Content-Encoding")).isFalse();
        assertThat(r.headers().first("Vary")).isEqualTo("Accept-Encoding");
        assertThat(new String(bytesOf(r.body()), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void sendsIdentityWhenTheClientWeighsItAboveGzip() throws Exception {
        Response r = apply(request(Method.GET, "/", "Accept-Encoding", "gzip;q=0.1, identity;q=1"), req -> text(TEXT));
        assertThat(r.headers().contains("Content-Encoding")).isFalse();
        assertThat(r.headers().first("Vary")).isEqualTo("Accept-Encoding");
        assertThat(new String(bytesOf(r.body()), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void doesNotCompressWithoutAcceptEncoding() throws Exception {
        Response r = apply(request(Method.GET, "/"), req -> text(TEXT));
        assertThat(r.headers().contains("Content-Encoding")).isFalse();
        assertThat(r.headers().first("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void leavesImagesAloneWithoutVary() throws Exception {
        Response r = apply(ACCEPTS_GZIP, req -> Response.ok().body(new byte[4096], "image/png"));
        assertThat(r.headers().contains("Content-Encoding")).isFalse();
        assertThat(r.headers().contains("Vary")).isFalse();
    }

    @Test
    void neverCompressesAnAlreadyEncodedBody() throws Exception {
        Response r = apply(ACCEPTS_GZIP, req -> text(TEXT).header("Content-Encoding", "br"));
        assertThat(r.headers().first("Content-Encoding")).isEqualTo("br");
        assertThat(new String(bytesOf(r.body()), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void leavesPartialContentAndNoContentAlone() throws Exception {
        Response partial = apply(ACCEPTS_GZIP, req -> text(TEXT).status(Status.PARTIAL_CONTENT_206)
                .header("Content-Range", "bytes 0-9/100"));
        assertThat(partial.headers().contains("Content-Encoding")).isFalse();
        assertThat(partial.headers().first("ETag")).isEqualTo("\"abc\"");
        Response none = apply(ACCEPTS_GZIP, req -> text(TEXT).status(Status.NO_CONTENT_204));
        assertThat(none.headers().contains("Content-Encoding")).isFalse();
    }

    @Test
    void aNotModifiedGetsVaryAndTheTagTheClientSent() throws Exception {
        Handler notModified = req -> Response.of(Status.NOT_MODIFIED_304)
                .header("Content-Type", "text/css").header("ETag", "\"abc\"");
        Response gzipVariant = apply(request(Method.GET, "/", "Accept-Encoding", "gzip",
                "If-None-Match", "\"abc-gzip\""), notModified);
        assertThat(gzipVariant.headers().first("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gzipVariant.headers().first("ETag")).isEqualTo("\"abc-gzip\"");
        assertThat(gzipVariant.headers().contains("Content-Encoding")).isFalse();
        Response identity = apply(request(Method.GET, "/", "Accept-Encoding", "gzip",
                "If-None-Match", "\"abc\""), notModified);
        assertThat(identity.headers().first("ETag")).as("a small body's 200 was not gzipped").isEqualTo("\"abc\"");
    }

    @Test
    void theHandlerSeesItsOwnTagsInIfMatchAndIfNoneMatchButNotInIfRange() throws Exception {
        List<String> seen = new ArrayList<>();
        apply(request(Method.PUT, "/", "Accept-Encoding", "gzip", "If-Match", "\"a-gzip\", W/\"b-gzip\"",
                "If-None-Match", "\"c-gzip\"", "If-Range", "\"d-gzip\"", "X-Other", "\"e-gzip\""), req -> {
            seen.add(req.header("If-Match"));
            seen.add(req.header("If-None-Match"));
            seen.add(req.header("If-Range"));
            seen.add(req.header("X-Other"));
            return text(TEXT);
        });
        assertThat(seen).containsExactly("\"a\", W/\"b\"", "\"c\"", "\"d-gzip\"", "\"e-gzip\"");
    }

    /**
     * RFC 9110 §13.1.2: without gzip the selected representation is the handler's, which "x-gzip" does
     * not name, so If-None-Match stays as sent; If-Match asks about the resource's state, which both
     * tags name, so a change made with the tag of a gzipped read works from any client.
     */
    @Test
    void aClientThatDoesNotPreferGzipGetsItsIfNoneMatchAsSentAndItsIfMatchRead() throws Exception {
        for (String[] acceptEncoding : new String[][] {{}, {"Accept-Encoding", "identity"},
                {"Accept-Encoding", "gzip;q=0.5, identity"}}) {
            List<String> seen = new ArrayList<>();
            List<String> fields = new ArrayList<>(List.of(acceptEncoding));
            fields.addAll(List.of("If-None-Match", "\"c-gzip\"", "If-Match", "\"a-gzip\""));
            apply(request(Method.PUT, "/", fields.toArray(String[]::new)), req -> {
                seen.add(req.header("If-None-Match"));
                seen.add(req.header("If-Match"));
                return text(TEXT);
            });
            assertThat(seen).as(String.join(": ", acceptEncoding)).containsExactly("\"c-gzip\"", "\"a\"");
        }
    }

    @Test
    void appendsToAnExistingVaryOnce() throws Exception {
        Response r = apply(ACCEPTS_GZIP, req -> text(TEXT).header("Vary", "Origin"));
        assertThat(r.headers().all("Vary")).containsExactly("Origin, Accept-Encoding");
        Response again = apply(ACCEPTS_GZIP, req -> text(TEXT).header("Vary", "accept-encoding"));
        assertThat(again.headers().all("Vary")).containsExactly("accept-encoding");
    }

    @Test
    void headGetsTheSameLengthAsGet() throws Exception {
        Response get = apply(ACCEPTS_GZIP, req -> text(TEXT));
        Response head = apply(request(Method.HEAD, "/", "Accept-Encoding", "gzip"), req -> text(TEXT));
        assertThat(head.body().length()).isEqualTo(get.body().length());
        assertThat(head.headers().first("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void compressesASmallFileRegionIntoBytes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "0123456789" + TEXT);
        Response r = apply(ACCEPTS_GZIP, req -> Response.ok().header("Content-Type", "text/plain")
                .body(new ResponseBody.FileRegion(file, 10, TEXT.length())));
        assertThat(r.body()).isInstanceOf(ResponseBody.Bytes.class);
        assertThat(new String(gunzip(bytesOf(r.body())), StandardCharsets.UTF_8)).isEqualTo(TEXT);
    }

    @Test
    void aFilesVariantIsKeptByItsStrongTagAndAWeakOrMissingTagKeepsNothing(@TempDir Path dir) throws Exception {
        Path file = writeSettled(dir.resolve("a.txt"), TEXT, 1);
        String other = TEXT.replace('H', 'J'); // the same length
        GzipFilter filter = new GzipFilter();
        Handler tagged = req -> Response.ok().header("Content-Type", "text/plain")
                .header("ETag", req.header("X-Tag")).body(new ResponseBody.FileRegion(file, 0, TEXT.length()));
        Request v1 = request(Method.GET, "/", "Accept-Encoding", "gzip", "X-Tag", "\"v1\"");
        assertThat(gunzipped(filter.apply(v1, tagged))).isEqualTo(TEXT);
        writeSettled(file, other, 2);
        assertThat(gunzipped(filter.apply(v1, tagged))).as("kept: the file is not read again for its tag").isEqualTo(TEXT);
        Request v2 = request(Method.GET, "/", "Accept-Encoding", "gzip", "X-Tag", "\"v2\"");
        assertThat(gunzipped(filter.apply(v2, tagged))).as("a new tag: compressed anew").isEqualTo(other);
        Request weak = request(Method.GET, "/", "Accept-Encoding", "gzip", "X-Tag", "W/\"w\"");
        assertThat(gunzipped(filter.apply(weak, tagged))).isEqualTo(other);
        writeSettled(file, TEXT, 3);
        assertThat(gunzipped(filter.apply(weak, tagged))).as("a weak tag keeps nothing").isEqualTo(TEXT);
        Handler untagged = req -> Response.ok().header("Content-Type", "text/plain")
                .body(new ResponseBody.FileRegion(file, 0, TEXT.length()));
        Request plain = request(Method.GET, "/", "Accept-Encoding", "gzip");
        assertThat(gunzipped(filter.apply(plain, untagged))).isEqualTo(TEXT);
        writeSettled(file, other, 4);
        assertThat(gunzipped(filter.apply(plain, untagged))).as("no tag keeps nothing").isEqualTo(other);
        writeSettled(file, TEXT, 5);
        GzipFilter noCache = new GzipFilter(256, 0);
        assertThat(gunzipped(noCache.apply(v1, tagged))).isEqualTo(TEXT);
        writeSettled(file, other, 6);
        assertThat(gunzipped(noCache.apply(v1, tagged))).as("no cache: read every time").isEqualTo(other);
    }

    /** Writes the file and dates it {@code version} minutes after an hour ago: settled, and each version's date its own. */
    private static Path writeSettled(Path file, String content, int version) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000 + version * 60_000L));
        return file;
    }

    @Test
    void aFileDeletedAfterTheHandlerOpenedItIsStillServedGzipped(@TempDir Path dir) throws Exception {
        Path file = writeSettled(dir.resolve("gone.txt"), TEXT, 1);
        FileChannel opened = FileChannel.open(file);
        Files.delete(file); // after the handler opened it, before the filter looks at it
        Response r = new GzipFilter().apply(ACCEPTS_GZIP, req -> Response.ok().header("Content-Type", "text/plain")
                .header("ETag", "\"gone\"").body(new ResponseBody.FileRegion(file, 0, TEXT.length(), opened)));
        assertThat(gunzipped(r)).isEqualTo(TEXT);
        assertThat(opened.isOpen()).isFalse();
    }

    @Test
    void aFileModifiedAMomentAgoIsCompressedButItsVariantNotKept(@TempDir Path dir) throws Exception {
        // Two versions written within one tick of the file system's clock may share a tag. Dated an hour
        // ahead, the file stays unsettled however slowly the test runs.
        Path file = Files.writeString(dir.resolve("a.txt"), TEXT);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
        String other = TEXT.replace('H', 'J');
        GzipFilter filter = new GzipFilter();
        Handler tagged = req -> Response.ok().header("Content-Type", "text/plain")
                .header("ETag", "\"same\"").body(new ResponseBody.FileRegion(file, 0, TEXT.length()));
        Request get = request(Method.GET, "/", "Accept-Encoding", "gzip");
        assertThat(gunzipped(filter.apply(get, tagged))).isEqualTo(TEXT);
        Files.writeString(file, other);
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
        assertThat(gunzipped(filter.apply(get, tagged))).isEqualTo(other);
    }

    private static String gunzipped(Response response) throws IOException {
        assertThat(response.headers().first("Content-Encoding")).isEqualTo("gzip");
        return new String(gunzip(bytesOf(response.body())), StandardCharsets.UTF_8);
    }

    @Test
    void streamsALargeFileRegionThroughGzip(@TempDir Path dir) throws Exception {
        String big = "line of a large log file\n".repeat(20_000);
        Path file = Files.writeString(dir.resolve("big.txt"), big);
        Response r = apply(ACCEPTS_GZIP, req -> Response.ok().file(file, big.length(), "text/plain"));
        assertThat(r.body()).isInstanceOf(ResponseBody.Streamed.class);
        assertThat(new String(gunzip(bytesOf(r.body())), StandardCharsets.UTF_8)).isEqualTo(big);
    }

    @Test
    void releasingTheGzippedBodyOfALargeFileClosesTheFileWhetherOrNotItWasWritten(@TempDir Path dir)
            throws Exception {
        String big = "line of a large log file\n".repeat(20_000);
        Path file = Files.writeString(dir.resolve("big.txt"), big);
        for (Method method : new Method[] {Method.GET, Method.HEAD}) {
            for (String field : new String[] {"gzip", "gzip, identity;q=0"}) {
                FileChannel opened = FileChannel.open(file);
                Response r = apply(request(method, "/", "Accept-Encoding", field), req -> Response.ok()
                        .body(new ResponseBody.FileRegion(file, 0, big.length(), opened)).header("Content-Type", "text/plain"));
                assertThat(r.headers().first("Content-Encoding")).as(field).isEqualTo("gzip");
                assertThat(r.body()).isInstanceOf(ResponseBody.Streamed.class);
                r.body().release(); // what the writer does when the body is not sent (HEAD, a client gone)
                assertThat(opened.isOpen()).as("%s %s: the handler's channel", method, field).isFalse();
            }
        }
    }

    @Test
    void a406ReleasesTheBodyItWillNeverSend() {
        AtomicInteger released = new AtomicInteger();
        Request refusesAll = request(Method.GET, "/", "Accept-Encoding", "identity;q=0, gzip;q=0");
        HttpException e = catchThrowableOfType(HttpException.class, () -> apply(refusesAll, req -> Response.ok()
                .header("Content-Type", "text/plain")
                .body(new ResponseBody.Streamed(out -> out.write(1), released::incrementAndGet))));
        assertThat(e.status().code()).isEqualTo(406);
        assertThat(released).hasValue(1);
    }

    @Test
    void releasingAGzippedStreamReleasesTheStreamItWraps() throws Exception {
        AtomicInteger released = new AtomicInteger();
        Response r = apply(ACCEPTS_GZIP, req -> Response.ok().header("Content-Type", "text/plain")
                .body(new ResponseBody.Streamed(out -> out.write(new byte[1]), released::incrementAndGet)));
        assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
        r.body().release();
        assertThat(released).hasValue(1);
    }

    @Test
    void compressesAStreamedBody() throws Exception {
        Response r = apply(ACCEPTS_GZIP, req -> Response.ok().stream("application/json", out -> {
            out.write("[1,".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("2]".getBytes(StandardCharsets.US_ASCII));
        }));
        assertThat(r.headers().first("Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(gunzip(bytesOf(r.body())), StandardCharsets.US_ASCII)).isEqualTo("[1,2]");
    }
}
