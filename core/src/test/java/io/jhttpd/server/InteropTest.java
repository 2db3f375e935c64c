package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real clients against the engine: the JDK's HttpClient and curl (./test installs curl when missing). */
class InteropTest {

    private static HttpServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void httpClientGetsAndReusesTheConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/items/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("item " + i);
        }
    }

    @Test
    void httpClientPostsAFixedLengthAndAChunkedBody() throws Exception {
        byte[] payload = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> fixed = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fixed.body()).isEqualTo(payload);
        HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(chunked.body()).isEqualTo(payload);
    }

    @Test
    void httpClientWithExpectContinue() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("continued")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("continued");
    }

    @Test
    void httpClientReadsAChunkedResponseAndHead() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/stream")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("part0\npart1\npart2\n");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).contains("13");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void curlGetsPostsAndUploadsChunked() throws Exception {
        assertThat(curl("-s", uri("/").toString())).isEqualTo("Hello, World!");
        assertThat(curl("-s", "--data-binary", "posted", uri("/echo").toString())).isEqualTo("posted");
        assertThat(curl("-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunky", uri("/echo").toString()))
                .isEqualTo("chunky");
        assertThat(curl("-s", "--http1.0", uri("/items/9").toString())).isEqualTo("item 9");
        assertThat(curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-I", uri("/").toString())).isEqualTo("200");
        assertThat(curl("-s", "-H", "Expect: 100-continue", "--data-binary", "expected", uri("/echo").toString()))
                .isEqualTo("expected");
    }

    @Test
    void curlReusesOneConnectionForSeveralUrls() throws Exception {
        String out = curl("-s", "-v", uri("/items/1").toString(), uri("/items/2").toString());
        assertThat(out).contains("item 1item 2");
    }

    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("curl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl exit code for %s", command).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
