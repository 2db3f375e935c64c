package io.jhttpd.server;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseBody;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;
import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.RawClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jhttpd.testing.Wire.crlf;
import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed body's release hook (what closes the file a gzipped download reads from) runs once for
 * every response, whether its writer ran, was not to run, or failed.
 */
class BodyReleaseWireTest {

    private static final AtomicInteger RELEASED = new AtomicInteger();
    private static final AtomicInteger WRITTEN = new AtomicInteger();
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        Router router = new Router()
                .get("/held", request -> Response.ok().header("Content-Type", "text/plain")
                        .body(new ResponseBody.Streamed(out -> {
                            WRITTEN.incrementAndGet();
                            out.write("content".getBytes(StandardCharsets.US_ASCII));
                        }, RELEASED::incrementAndGet)))
                .get("/held-not-modified", request -> Response.of(Status.of(304))
                        .body(new ResponseBody.Streamed(out -> WRITTEN.incrementAndGet(), RELEASED::incrementAndGet)))
                .get("/held-release-fails", request -> Response.ok().header("Content-Type", "text/plain")
                        .body(new ResponseBody.Streamed(out -> out.write("content".getBytes(StandardCharsets.US_ASCII)),
                                () -> {
                                    RELEASED.incrementAndGet();
                                    throw new IllegalStateException("deliberate: the release hook failed");
                                })))
                .get("/held-failing", request -> Response.ok().header("Content-Type", "text/plain")
                        .body(new ResponseBody.Streamed(out -> {
                            WRITTEN.incrementAndGet();
                            throw new IOException("the source broke");
                        }, RELEASED::incrementAndGet)));
        server = HttpServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), router);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        RELEASED.set(0);
        WRITTEN.set(0);
    }

    @Test
    void aWrittenBodyIsReleasedOnceAfterItsWriter() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(get("/held")).read();
            assertThat(r.bodyText()).isEqualTo("content");
        }
        assertThat(WRITTEN).hasValue(1);
        assertThat(RELEASED).hasValue(1);
    }

    @Test
    void aHeadReleasesTheBodyItDoesNotWrite() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            Reply r = c.send(crlf("HEAD /held HTTP/1.1", "Host: test", "")).read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.send(get("/held")).read().bodyText()).as("the connection is still in step").isEqualTo("content");
        }
        assertThat(WRITTEN).as("only the GET's writer ran").hasValue(1);
        assertThat(RELEASED).hasValue(2);
    }

    @Test
    void aStatusWithoutContentReleasesTheBody() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send(get("/held-not-modified")).read(true).status()).isEqualTo(304);
        }
        assertThat(WRITTEN).hasValue(0);
        assertThat(RELEASED).hasValue(1);
    }

    @Test
    void aReleaseHookThatThrowsCostsTheResponseNothing() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.send(get("/held-release-fails")).read().bodyText()).isEqualTo("content");
            assertThat(c.send(get("/held")).read().bodyText()).as("the connection goes on").isEqualTo("content");
        }
        assertThat(RELEASED).hasValue(2);
    }

    @Test
    void aWriterThatFailsStillReleases() throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.setTimeout(5000);
            c.send(get("/held-failing"));
            c.readRest(); // the server aborts the connection once the writer fails
        }
        assertThat(WRITTEN).hasValue(1);
        assertThat(RELEASED).hasValue(1);
    }
}
