package bench.peers.vertx;

import bench.peers.common.Args;
import bench.peers.common.DataStore;
import bench.peers.common.Json;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.file.Files;
import java.nio.file.Path;

/** Vert.x 5 peer: vertx-core HttpServer on ONE event loop (the server is pinned to one core), native transport. */
public final class VertxPeer {
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");
    private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        DataStore store = new DataStore();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096))
                .requestHandler(req -> handle(req, store, args.staticDir()))
                .listen(args.port())
                .onFailure(e -> { e.printStackTrace(); System.exit(1); });
    }

    private static void handle(HttpServerRequest req, DataStore store, Path staticDir) {
        String path = req.path();
        HttpServerResponse res = req.response();
        if (req.method() == HttpMethod.GET && path.equals("/")) {
            res.putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(HELLO);
        } else if (req.method() == HttpMethod.GET && path.equals("/echo")) {
            res.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(Json.message(Json.queryParam(req.query(), "msg"))));
        } else if (req.method() == HttpMethod.POST && path.equals("/data")) {
            req.body().onSuccess(body -> {
                try {
                    DataStore.Created c = store.create(body.getBytes());
                    res.setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                            .putHeader(HttpHeaders.LOCATION, c.location()).end(Buffer.buffer(c.json()));
                } catch (IllegalArgumentException e) {
                    res.setStatusCode(400).end(e.getMessage());
                }
            });
        } else if (req.method() == HttpMethod.GET && path.startsWith("/static/")) {
            String name = path.substring("/static/".length());
            Path file = staticDir.resolve(name).normalize();
            if (name.contains("/") || !file.startsWith(staticDir) || !Files.isRegularFile(file)) {
                res.setStatusCode(404).end();
            } else {
                res.putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream").sendFile(file.toString()); // sendfile(2)
            }
        } else {
            res.setStatusCode(404).end();
        }
    }
}
