package io.jhttpd.testing;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A small app on port 0 that wire tests talk to. */
public final class TestServers {

    private TestServers() {
    }

    /** Counts how often /canary ran, so tests can prove bytes after a bad request were never served. */
    public static final AtomicInteger CANARY_HITS = new AtomicInteger();

    public static Router testRouter() {
        return new Router()
                .get("/", request -> Response.ok().text("Hello, World!"))
                .get("/canary", request -> {
                    CANARY_HITS.incrementAndGet();
                    return Response.ok().text("canary");
                })
                .post("/echo", request -> Response.ok().body(request.bodyBytes(), "application/octet-stream"))
                .post("/ignore-body", request -> Response.ok().text("ignored"))
                .get("/stream", request -> Response.ok().stream("text/plain", out -> {
                    for (int i = 0; i < 3; i++) {
                        out.write(("part" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }))
                .get("/boom", request -> {
                    throw new IllegalStateException("deliberate failure");
                })
                .get("/out-of-memory", request -> {
                    throw new OutOfMemoryError("deliberate failure");
                })
                .get("/teapot", request -> {
                    throw new HttpException(Status.of(418), "No coffee");
                })
                .get("/empty", request -> Response.of(Status.NO_CONTENT_204))
                .get("/items/{id}", request -> Response.ok().text("item " + request.pathParam("id")))
                .get("/query", request -> Response.ok().text(String.valueOf(request.queryParam("q"))));
    }

    public static HttpServer start(Limits limits) throws IOException {
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withLimits(limits)
                .withShutdownGrace(Duration.ofSeconds(5));
        return HttpServer.start(config, testRouter());
    }

    public static HttpServer start() throws IOException {
        return start(Limits.defaults());
    }
}
