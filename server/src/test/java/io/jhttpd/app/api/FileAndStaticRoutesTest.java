package io.jhttpd.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhttpd.app.json.Json;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.app.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /files/{name} (GET, POST) and /static/{path...}, and the traversal vectors, each tried against both.
 * A secret file sits next to each served directory; no request may read it or write beside it.
 */
class FileAndStaticRoutesTest {

    static final String SECRET = "TOP SECRET, never served";

    @TempDir
    static Path temp;
    static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(temp, "--quiet");
        Files.writeString(temp.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(app.directory.resolve("link-out"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(app.staticDir.resolve("link-out"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(app.staticDir.resolve("dir-out"), temp);
        Files.createDirectories(app.directory.resolve("adir"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void postWritesTheBodyAndGetServesItAsOctetStream() throws Exception {
        byte[] all = new byte[256 * 40];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        HttpResponse<String> posted = app.send(app.request("/files/blob.bin")
                .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build());
        assertThat(posted.statusCode()).isEqualTo(201);
        JsonNode answer = Json.mapper().readTree(posted.body());
        assertThat(answer.get("file").asText()).isEqualTo("blob.bin");
        assertThat(answer.get("bytes").asLong()).isEqualTo(all.length);
        assertThat(Files.readAllBytes(app.directory.resolve("blob.bin"))).isEqualTo(all);

        HttpResponse<byte[]> read = app.client.send(app.request("/files/blob.bin").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(read.body()).isEqualTo(all);
    }

    @Test
    void postReplacesAnExistingFileAndLeavesNoTemporaryFileBehind() throws Exception {
        for (String content : new String[] {"first version, longer", "second"}) {
            HttpResponse<String> r = app.send(app.request("/files/notes.txt")
                    .POST(HttpRequest.BodyPublishers.ofString(content)).build());
            assertThat(r.statusCode()).isEqualTo(201);
        }
        assertThat(app.get("/files/notes.txt").body()).isEqualTo("second");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(app.directory.resolve("notes.txt")))).isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(app.directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".upload-"));
        }
    }

    private static HttpResponse<String> upload(String name, String content, String... conditions) throws Exception {
        HttpRequest.Builder request = app.request("/files/" + name).POST(HttpRequest.BodyPublishers.ofString(content));
        for (int i = 0; i < conditions.length; i += 2) {
            request.header(conditions[i], conditions[i + 1]);
        }
        return app.send(request.build());
    }

    @Test
    void anUploadWithIfNoneMatchStarOnlyCreates() throws Exception {
        assertThat(upload("once.txt", "first", "If-None-Match", "*").statusCode()).isEqualTo(201);
        HttpResponse<String> again = upload("once.txt", "second", "If-None-Match", "*");
        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(app.get("/files/once.txt").body()).isEqualTo("first");
    }

    @Test
    void anUploadWithIfMatchReplacesOnlyTheVersionItNames() throws Exception {
        upload("versioned.txt", "v1");
        Path file = app.directory.resolve("versioned.txt");
        java.nio.file.attribute.FileTime v1Modified = Files.getLastModifiedTime(file);
        String etag = app.get("/files/versioned.txt").headers().firstValue("ETag").orElseThrow();
        assertThat(upload("versioned.txt", "v2", "If-Match", etag).statusCode()).isEqualTo(201);
        // v2 has v1's size and, as if written within the same clock tick, its modification time:
        // its tag differs all the same (a new file, a new inode).
        Files.setLastModifiedTime(file, v1Modified);
        assertThat(app.get("/files/versioned.txt").headers().firstValue("ETag")).isNotEqualTo(Optional.of(etag));
        assertThat(upload("versioned.txt", "v3", "If-Match", etag).statusCode()).as("the tag of v1").isEqualTo(412);
        assertThat(app.get("/files/versioned.txt").body()).isEqualTo("v2");
        assertThat(upload("absent.txt", "x", "If-Match", "*").statusCode()).as("no file to match").isEqualTo(412);
        assertThat(app.directory.resolve("absent.txt")).doesNotExist();
    }

    @Test
    void anUploadAnswersWithTheTagOfTheVersionItStoredSoThatTheNextCanReplaceExactlyThat() throws Exception {
        HttpResponse<String> first = upload("chained.txt", "v1");
        String v1 = first.headers().firstValue("ETag").orElseThrow();
        assertThat(app.get("/files/chained.txt").headers().firstValue("ETag")).as("what a GET gives").hasValue(v1);
        HttpResponse<String> second = upload("chained.txt", "v2-longer", "If-Match", v1);
        assertThat(second.statusCode()).isEqualTo(201);
        String v2 = second.headers().firstValue("ETag").orElseThrow();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(upload("chained.txt", "v3", "If-Match", v1).statusCode()).as("v1 is gone").isEqualTo(412);
        assertThat(upload("chained.txt", "v3", "If-Match", v2).statusCode()).isEqualTo(201);
        assertThat(app.get("/files/chained.txt").body()).isEqualTo("v3");
    }

    @Test
    void anUploadWithIfUnmodifiedSinceBeforeTheFileChangedIs412() throws Exception {
        upload("dated.txt", "v1");
        assertThat(upload("dated.txt", "v2", "If-Unmodified-Since", "Sun, 05 Jan 2020 03:04:05 GMT").statusCode())
                .isEqualTo(412);
        assertThat(upload("dated.txt", "v3", "If-Unmodified-Since", "Fri, 01 Jan 2100 00:00:00 GMT").statusCode())
                .isEqualTo(201);
        assertThat(app.get("/files/dated.txt").body()).isEqualTo("v3");
    }

    @Test
    void aSymlinkLoopIsNotFoundNeverA500() throws Exception {
        Files.createSymbolicLink(app.directory.resolve("loop-a"), app.directory.resolve("loop-b"));
        Files.createSymbolicLink(app.directory.resolve("loop-b"), app.directory.resolve("loop-a"));
        assertThat(app.get("/files/loop-a").statusCode()).isEqualTo(404);
        assertThat(upload("loop-a", "x", "If-Match", "*").statusCode()).as("no file to match").isEqualTo(412);
        assertThat(upload("loop-a", "replaced", "If-None-Match", "*").statusCode()).isEqualTo(201);
        assertThat(app.get("/files/loop-a").body()).isEqualTo("replaced");
    }

    @Test
    void postWithAContentCodingIs415AndWritesNothing() throws Exception {
        HttpResponse<String> r = app.send(app.request("/files/coded.txt").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("not really gzip")).build());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Accept-Encoding")).hasValue("");
        assertThat(app.directory.resolve("coded.txt")).doesNotExist();
    }

    @Test
    void postOverADirectoryIs409() throws Exception {
        HttpResponse<String> r = app.send(app.request("/files/adir")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Files.isDirectory(app.directory.resolve("adir"))).isTrue();
    }

    @Test
    void getAnAbsentFileIs404Json() throws Exception {
        HttpResponse<String> r = app.get("/files/absent.txt");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void getADirectoryIs404() throws Exception {
        assertThat(app.get("/files/adir").statusCode()).isEqualTo(404);
    }

    @Test
    void getOfAFileAnswersRangesAndConditionalRequestsAsStaticDoes() throws Exception {
        Files.writeString(app.directory.resolve("ranged.txt"), "0123456789");
        try (RawClient c = app.raw()) {
            Reply whole = c.send(get("/files/ranged.txt")).read();
            String etag = whole.header("ETag");
            assertThat(etag).startsWith("\"");
            assertThat(whole.header("Last-Modified")).isNotNull();
            assertThat(whole.header("Accept-Ranges")).isEqualTo("bytes");

            Reply part = c.send(crlf("GET /files/ranged.txt HTTP/1.1", "Host: t", "Range: bytes=2-4", "")).read();
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.header("Content-Range")).isEqualTo("bytes 2-4/10");
            assertThat(part.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(part.bodyText()).isEqualTo("234");

            Reply same = c.send(crlf("GET /files/ranged.txt HTTP/1.1", "Host: t", "If-None-Match: " + etag, "")).read();
            assertThat(same.status()).isEqualTo(304);
            assertThat(same.header("ETag")).isEqualTo(etag);

            Reply past = c.send(crlf("GET /files/ranged.txt HTTP/1.1", "Host: t", "Range: bytes=20-", "")).read();
            assertThat(past.status()).isEqualTo(416);
            assertThat(past.header("Content-Range")).isEqualTo("bytes */10");

            Reply headSame = c.send(crlf("HEAD /files/ranged.txt HTTP/1.1", "Host: t", "If-None-Match: " + etag, ""))
                    .read(true);
            assertThat(headSame.status()).isEqualTo(304);

            Reply stale = c.send(crlf("GET /files/ranged.txt HTTP/1.1", "Host: t", "If-Match: \"other\"", "")).read();
            assertThat(stale.status()).isEqualTo(412);
            assertThat(c.send(get("/files/ranged.txt")).read().bodyText()).as("still in step").isEqualTo("0123456789");
        }
    }

    @Test
    void headOnAFileSendsItsLengthWithoutTheBody() throws Exception {
        Files.writeString(app.directory.resolve("head.txt"), "12345");
        try (RawClient c = app.raw()) {
            Reply r = c.send(crlf("HEAD /files/head.txt HTTP/1.1", "Host: t", "")).read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("5");
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void staticServesAFileWithItsType() throws Exception {
        HttpResponse<String> r = app.get("/static/hello.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from static\n");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(r.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void staticServesIndexHtmlForTheDirectory() throws Exception {
        HttpResponse<String> r = app.get("/static/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("<h1>static index</h1>\n");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    }

    @Test
    void staticAnswersHeadWithoutABody() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(crlf("HEAD /static/hello.txt HTTP/1.1", "Host: t", "")).read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("18");
            assertThat(c.send(get("/static/hello.txt")).read().bodyText()).isEqualTo("hello from static\n");
        }
    }

    @Test
    void staticRefusesPost() throws Exception {
        HttpResponse<String> r = app.send(app.request("/static/hello.txt")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow").orElseThrow()).contains("GET", "HEAD");
    }

    /**
     * Targets written as raw bytes (no client library normalises them). {@code @} stands for the mount
     * point, {@code files} or {@code static}; each escape names the secret one directory up.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "/@/../secret.txt",                 // plain dot-dot segment
            "/@/..",                            // dot-dot alone
            "/@/%2e%2e/secret.txt",             // encoded dots
            "/@/%2E%2E%2Fsecret.txt",           // encoded dots and slash in one segment
            "/@/..%2fsecret.txt",               // encoded slash
            "/@/.%2e/secret.txt",               // half-encoded
            "/@/..%5csecret.txt",               // encoded backslash
            "/@/..\\secret.txt",                // raw backslash
            "/@/%00",                           // NUL
            "/@/secret.txt%00.png",             // NUL truncation trick
            "/@/%2f" + "etc%2fpasswd",          // absolute path, encoded
            "/@//etc/passwd",                   // absolute path via an empty segment
            "/@/link-out",                      // symlink to a file outside
            "/@/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/@/%252e%252e%252fsecret.txt",     // double encoding must not be decoded twice
            "/@/C:%5cWindows%5cwin.ini",        // drive letter
            "/@/%c0%ae%c0%ae/secret.txt",       // overlong UTF-8 dots (2 bytes)
            "/@/%c0%ae%c0%ae%c0%afsecret.txt",  // overlong dots and slash
            "/@/%e0%80%ae%e0%80%ae/secret.txt", // overlong UTF-8 dots (3 bytes)
            "/@/%f0%80%80%ae%f0%80%80%ae/secret.txt", // overlong UTF-8 dots (4 bytes)
            "/@/..%c0%afsecret.txt",            // overlong slash
            "/@/..%c1%9csecret.txt",            // overlong backslash
            "/@/%ef%bc%8e%ef%bc%8e/secret.txt", // full-width dots (U+FF0E)
            "/@/%ef%bc%8e%ef%bc%8e%ef%bc%8fsecret.txt", // full-width dots and slash (U+FF0F)
            "/@/%u002e%u002e/secret.txt",       // IIS %u encoding is not an escape
            "/@/..%00/secret.txt",              // NUL inside the dot-dot segment
            "/@/%2e%2e%00/secret.txt",
            "/@/./../secret.txt",               // dot then dot-dot
            "/@/adir/../../secret.txt",         // down then up twice
            "/@/hello.txt/../../secret.txt",    // through a file
            "/@/.../secret.txt",                // three dots
            "/@/....//secret.txt",              // four dots and a double slash
            "/@/..;/secret.txt",                // path parameter (Tomcat-style)
            "/@/%2e%2e;x=1/secret.txt",
            "/@/..%09/secret.txt",              // tab after dot-dot
            "/@/..%20/secret.txt",              // space after dot-dot
            "/@/secret.txt.",                   // trailing dot (Windows-style normalisation)
            "/@/..?/secret.txt",                // query after dot-dot
            "/@/..%3f/secret.txt",              // encoded question mark
            "/@/..%23/secret.txt",              // encoded fragment mark
            "/@/..#/secret.txt",                // raw fragment: not allowed in a request target
            "/@/%252e%252e/secret.txt",         // double-encoded dots in a directory segment
            "/@/%25c0%25ae%25c0%25ae/secret.txt", // double-encoded overlong dots
    })
    void traversalIsRefusedForFilesAndStatic(String pattern) throws Exception {
        for (String mount : new String[] {"files", "static"}) {
            String target = pattern.replace("@", mount);
            try (RawClient c = app.raw()) {
                Reply r = c.send(get(target)).read();
                assertThat(r.status()).as("GET %s", target).isIn(400, 404);
                assertThat(r.bodyText()).as("GET %s", target).doesNotContain("SECRET").doesNotContain("root:");
            }
        }
    }

    /** A query is never part of the file path: the traversal in it is just text. */
    @Test
    void aTraversalInTheQueryIsOnlyAQuery() throws Exception {
        try (RawClient c = app.raw()) {
            Reply index = c.send(get("/static/?../secret.txt")).read();
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.bodyText()).isEqualTo("<h1>static index</h1>\n");
            Reply hello = c.send(get("/static/hello.txt?/../../secret.txt")).read();
            assertThat(hello.bodyText()).isEqualTo("hello from static\n");
            Reply absent = c.send(get("/files/x?../secret.txt")).read();
            assertThat(absent.status()).isEqualTo(404);
            assertThat(absent.bodyText()).doesNotContain("SECRET");
        }
    }

    @Test
    void aSymlinkedDirectoryOutOfStaticIsRefused() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(get("/static/dir-out/secret.txt")).read();
            assertThat(r.status()).isIn(400, 404);
            assertThat(r.bodyText()).doesNotContain("SECRET");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "%2e%2e", "..%2fescaped.txt", "%2e%2e%2fescaped.txt", "..%5cescaped.txt",
            "%2fescaped.txt", "escaped.txt%00", ".hidden", "a%0d%0ab"})
    void postCannotWriteOutsideTheDirectory(String name) throws Exception {
        String request = crlf("POST /files/" + name + " HTTP/1.1", "Host: t", "Content-Length: 5", "") + "owned";
        try (RawClient c = app.raw()) {
            Reply r = c.send(request).read();
            assertThat(r.status()).as("POST /files/%s", name).isIn(400, 404);
        }
        assertThat(temp.resolve("escaped.txt")).doesNotExist();
        assertThat(Files.readString(temp.resolve("secret.txt"))).isEqualTo(SECRET);
    }

    /** A name the file system cannot hold is the client's mistake: 400 before the body, not a 500 after. */
    @Test
    void aNameLongerThanTheFileSystemTakesIsRefusedBeforeTheBody() throws Exception {
        String longest = "n".repeat(255);
        String tooLong = "n".repeat(256);
        String tooLongInUtf8 = "%C3%A9".repeat(128); // 128 characters, 256 bytes
        try (RawClient c = app.raw()) {
            assertThat(c.send(crlf("POST /files/" + longest + " HTTP/1.1", "Host: t", "Content-Length: 4", "") + "data")
                    .read().status()).isEqualTo(201);
        }
        for (String name : List.of(tooLong, tooLongInUtf8)) {
            try (RawClient c = app.raw()) {
                // The body is never sent: the answer comes instead of the 100.
                Reply r = c.send(crlf("POST /files/" + name + " HTTP/1.1", "Host: t", "Content-Length: 4",
                        "Expect: 100-continue", "", "")).read();
                assertThat(r.status()).as(name).isEqualTo(400);
                assertThat(r.bodyText()).contains("longer than 255 bytes");
            }
            try (RawClient c = app.raw()) {
                assertThat(c.send(get("/files/" + name)).read().status()).as("GET " + name).isEqualTo(400);
            }
        }
        try (var listing = Files.list(app.directory)) {
            assertThat(listing.map(Path::getFileName).map(Path::toString)).doesNotContain(tooLong)
                    .noneMatch(n -> n.startsWith(".upload-"));
        }
    }

    @Test
    void postThroughASymlinkReplacesTheLinkNotItsTarget() throws Exception {
        Files.createSymbolicLink(app.directory.resolve("post-link"), temp.resolve("secret.txt"));
        HttpResponse<String> r = app.send(app.request("/files/post-link")
                .POST(HttpRequest.BodyPublishers.ofString("replaced")).build());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Files.readString(temp.resolve("secret.txt"))).isEqualTo(SECRET);
        assertThat(Files.isSymbolicLink(app.directory.resolve("post-link"))).isFalse();
    }
}
