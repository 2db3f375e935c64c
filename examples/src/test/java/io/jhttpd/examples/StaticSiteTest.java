package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class StaticSiteTest {

    private static final String INDEX = "<!doctype html><title>jhttpd</title>\n"
            + "<p>Served by the StaticSite example.</p>\n".repeat(40);

    @TempDir
    Path root;
    private HttpServer server;
    private ExampleClient client;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(root.resolve("index.html"), INDEX);
        Files.writeString(root.resolve("small.txt"), "too small to gzip");
        server = StaticSite.start(0, root);
        client = new ExampleClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void gzipsTheIndexForAClientThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> response = client.sendForBytes(client.request("/").header("Accept-Encoding", "gzip"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(response.body().length).isLessThan(INDEX.length());
        assertThat(gunzip(response.body())).isEqualTo(INDEX);
    }

    @Test
    void sendsTheFileAsItIsToAClientThatDoesNotAcceptGzip() throws Exception {
        HttpResponse<String> response = client.get("/index.html");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.headers().firstValue("ETag")).isPresent();
        assertThat(response.body()).isEqualTo(INDEX);
    }

    @Test
    void leavesASmallFileUncompressed() throws Exception {
        HttpResponse<String> response = client.send(client.request("/small.txt").header("Accept-Encoding", "gzip"));
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.body()).isEqualTo("too small to gzip");
    }

    @Test
    void answers404ForAMissingFile() throws Exception {
        assertThat(client.get("/missing.css").statusCode()).isEqualTo(404);
    }

    private static String gunzip(byte[] gzipped) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
