package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.files.StaticFiles;
import io.jhttpd.filters.GzipFilter;
import io.jhttpd.http.Handler;
import io.jhttpd.routing.Router;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves a directory, gzipping text to clients that accept it: {@code index.html} for directories,
 * {@code ETag} and {@code Last-Modified} with 304s, byte ranges, and 404 for anything outside the
 * directory, symlinks included.
 *
 * <pre>
 * java -p core/target/jhttpd-core-0.1.0-SNAPSHOT.jar:examples/target/jhttpd-examples-0.1.0-SNAPSHOT.jar \
 *      -m io.jhttpd.examples/io.jhttpd.examples.StaticSite 8080 static
 * curl -s --compressed localhost:8080/
 * </pre>
 */
public final class StaticSite {

    private StaticSite() {
    }

    /**
     * Serves the files under {@code root} at {@code /} on {@code port} (0 picks a free one).
     *
     * @throws IllegalArgumentException when {@code root} is not an existing directory
     */
    public static HttpServer start(int port, Path root) throws IOException {
        Router router = new Router().get("/{path...}", new StaticFiles(root));
        Handler app = new GzipFilter().wrap(router);
        return HttpServer.start(ServerConfig.defaults().withPort(port), app);
    }

    /** {@code StaticSite [port [directory]]}: serves the directory (default: the current one) until Ctrl-C. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Path root = Path.of(args.length > 1 ? args[1] : ".");
        HttpServer server = start(port, root);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Serving " + root.toAbsolutePath().normalize() + " at http://localhost:" + server.port() + "/");
        server.awaitTermination();
    }
}
