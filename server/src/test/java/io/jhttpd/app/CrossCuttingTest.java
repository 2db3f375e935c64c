package io.jhttpd.app;

import io.jhttpd.app.testing.LogCapture;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import io.jhttpd.app.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/** What every response gets: CORS, gzip when accepted, an access log line, JSON errors. */
class CrossCuttingTest {

    @TempDir
    static Path temp;
    static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(temp);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyResponseCarriesAllowOriginStar() throws Exception {
        assertThat(app.get("/").headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(app.get("/data/424242").headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(app.get("/nowhere").headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        try (RawClient c = app.raw()) {
            Reply parseError = c.send("GET / HTTP/9.9\r\n\r\n").read();
            assertThat(parseError.status()).isGreaterThanOrEqualTo(400);
            assertThat(parseError.header("Access-Control-Allow-Origin")).isEqualTo("*");
        }
    }

    @Test
    void aPreflightOnAnyPathIs204WithTheCorsHeaders() throws Exception {
        for (String path : new String[] {"/data", "/data/7", "/files/x", "/no/such/path"}) {
            try (RawClient c = app.raw()) {
                Reply r = c.send(crlf("OPTIONS " + path + " HTTP/1.1", "Host: t", "Origin: https://app.example",
                        "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: content-type", "")).read();
                assertThat(r.status()).as(path).isEqualTo(204);
                assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
                assertThat(r.header("Access-Control-Allow-Methods")).contains("PUT");
                assertThat(r.header("Access-Control-Allow-Headers")).containsIgnoringCase("content-type");
                assertThat(r.header("Access-Control-Max-Age")).matches("\\d+");
            }
        }
    }

    @Test
    void aPreflightAllowsTheHeadersAPageAsksForAndOnlyTheMethodsTheRoutesServe() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(crlf("OPTIONS /data/1 HTTP/1.1", "Host: t", "Origin: https://app.example",
                    "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: x-trace-id, if-match", "")).read();
            assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("x-trace-id, if-match");
            assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST, PUT, DELETE, OPTIONS");
        }
    }

    @Test
    void aCrossOriginPageCanReadLocationAndTheOtherResponseFields() throws Exception {
        HttpResponse<String> created = app.send(app.request("/data").header("Origin", "https://app.example")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).isPresent();
        assertThat(created.headers().firstValue("Access-Control-Expose-Headers")).hasValue("*");
        HttpResponse<String> notAllowed = app.send(app.request("/data").header("Origin", "https://app.example")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.headers().firstValue("Access-Control-Expose-Headers")).as("errors with Allow too").hasValue("*");
        HttpResponse<String> plain = app.send(app.request("/").header("Origin", "https://app.example").build());
        assertThat(plain.headers().firstValue("Access-Control-Expose-Headers")).as("nothing to expose").isEmpty();
    }

    @Test
    void aPlainOptionsOnAKnownPathListsItsMethods() throws Exception {
        try (RawClient c = app.raw()) {
            Reply r = c.send(crlf("OPTIONS /data HTTP/1.1", "Host: t", "")).read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Allow")).contains("GET", "POST");
        }
    }

    @Test
    void aConfiguredOriginIsAllowedAndOthersAreNot(@TempDir Path other) throws Exception {
        try (TestApp strict = TestApp.start(other, "--quiet", "--cors-origin", "https://app.example")) {
            HttpResponse<String> ok = strict.send(strict.request("/").header("Origin", "https://app.example").build());
            assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
            HttpResponse<String> evil = strict.send(strict.request("/").header("Origin", "https://evil.example").build());
            assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> evilError = strict.send(strict.request("/nowhere").header("Origin", "https://evil.example").build());
            assertThat(evilError.statusCode()).isEqualTo(404);
            assertThat(evilError.headers().firstValue("Access-Control-Allow-Origin")).as("errors as successes").isEmpty();
            assertThat(evilError.headers().firstValue("Vary")).hasValue("Origin");
            HttpResponse<String> okError = strict.send(strict.request("/nowhere").header("Origin", "https://app.example").build());
            assertThat(okError.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
        }
    }

    /** A body refused before any filter ran (413 for its declared length) is answered for the head's Origin. */
    @Test
    void aBodyRefusedBeforeRoutingIsAnsweredForTheOriginItCameFrom(@TempDir Path other) throws Exception {
        try (TestApp strict = TestApp.start(other, "--quiet", "--cors-origin", "https://app.example", "--max-body", "1KB")) {
            for (String origin : List.of("https://app.example", "https://evil.example")) {
                try (RawClient c = strict.raw()) {
                    Reply r = c.send(crlf("POST /data HTTP/1.1", "Host: t", "Origin: " + origin,
                            "Content-Type: application/json", "Content-Length: 5000", "", "")).read();
                    assertThat(r.status()).isEqualTo(413);
                    assertThat(r.header("Access-Control-Allow-Origin")).as(origin)
                            .isEqualTo(origin.equals("https://app.example") ? origin : null);
                    assertThat(r.header("Vary")).isEqualTo("Origin");
                }
            }
        }
    }

    @Test
    void responsesAreGzippedWhenTheClientAcceptsIt() throws Exception {
        for (int i = 0; i < 20; i++) {
            app.sendJson("POST", "/data", "{\"name\":\"item number " + i + "\",\"padding\":\"abcdefghijklmnop\"}");
        }
        HttpResponse<byte[]> r = app.client.send(app.request("/data").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String json = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(json).startsWith("[{\"id\":").contains("item number 19");
        HttpResponse<String> plain = app.get("/data");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(json);
    }

    @Test
    void eachRequestWritesOneAccessLogLineOnStdout() throws Exception {
        // The filter logs before the response is written; stdout() waits for the log writer to write it.
        app.get("/echo?msg=logged-line");
        assertThat(app.stdout()).containsPattern("127\\.0\\.0\\.1 - - \\[.*\\] \"GET /echo\\?msg=logged-line HTTP/1.1\" 200 ");
        app.get("/data/77777777");
        assertThat(app.stdout()).contains("\"GET /data/77777777 HTTP/1.1\" 404 ");
    }

    @Test
    void aRequestRefusedBeforeTheRoutesIsLoggedToo() throws Exception {
        try (RawClient c = app.raw()) {
            assertThat(c.send(crlf("GET /refused-head HTTP/1.1", "Host: t", "Bad Name: x", "")).read().status()).isEqualTo(400);
        }
        String log = app.stdout();
        assertThat(log).containsPattern("\"GET /refused-head HTTP/1.1\" 400 \\d+ ");
        assertThat(log.split("/refused-head", -1)).as("logged once").hasSize(2);
    }

    @Test
    void aBodyCutOffByTheClientIsLoggedWithTheStatusItGot() throws Exception {
        try (RawClient c = app.raw()) {
            c.send(crlf("POST /data HTTP/1.1", "Host: t", "Content-Type: application/json",
                    "Transfer-Encoding: chunked", "", "10", "{\"cut\":")).finishSending();
            assertThat(c.read().status()).as("an incomplete message (RFC 9112 §6.3)").isEqualTo(408);
        }
        assertThat(app.stdout()).contains("\"POST /data HTTP/1.1\" 408 ").doesNotContain("\"POST /data HTTP/1.1\" 500 ");
    }

    @Test
    void quietWritesNoAccessLog(@TempDir Path other) throws Exception {
        try (TestApp quiet = TestApp.start(other, "--quiet")) {
            assertThat(quiet.get("/").statusCode()).isEqualTo(200);
            assertThat(quiet.get("/nowhere").statusCode()).isEqualTo(404);
            assertThat(quiet.stdout()).isEmpty();
        }
    }

    @Test
    void aServerErrorIsLoggedWithItsCause() throws Exception {
        // Make the upload directory unusable under the running server: writing must fail with a 500.
        Path files = app.directory;
        java.nio.file.Files.walk(files).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (LogCapture log = new LogCapture(); RawClient c = app.raw()) {
            Reply r = c.send(crlf("POST /files/x.txt HTTP/1.1", "Host: t", "Content-Length: 2", "") + "hi").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText()).doesNotContain("Exception").doesNotContain(files.toString());
            assertThat(c.send(get("/")).read().status()).isEqualTo(200);
            assertThat(log.text()).contains("failed on POST /files/x.txt HTTP/1.1").contains("NoSuchFileException");
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        } finally {
            java.nio.file.Files.createDirectories(files);
        }
    }

    /**
     * A client that resets while a route reads its body is not a server failure, even through the CORS
     * filter (which turns crashes into a 500 HttpException): nothing logged at ERROR, for JSON bodies
     * and streamed file uploads alike. The soak found one stack trace per reset before.
     */
    @Test
    void aClientResetMidBodyIsNotLoggedAsAFailure() throws Exception {
        try (LogCapture log = new LogCapture()) {
            for (String target : new String[] {"/data", "/files/reset.bin"}) {
                for (int i = 0; i < 5; i++) {
                    try (java.net.Socket s = new java.net.Socket("127.0.0.1", app.port())) {
                        s.getOutputStream().write((crlf("POST " + target + " HTTP/1.1", "Host: t",
                                "Content-Type: application/json", "Content-Length: 100000", "") + "{\"a\":\""
                                + "x".repeat(5000)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        Thread.sleep(20);
                        s.setSoLinger(true, 0);
                    }
                }
            }
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (app.server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(log.text()).as("logged for client resets").doesNotContain("handler failed");
            assertThat(app.stdout()).as("access log").doesNotContain("\"POST /files/reset.bin HTTP/1.1\" 500");
        }
    }
}
