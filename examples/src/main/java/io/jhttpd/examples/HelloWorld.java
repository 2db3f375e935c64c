package io.jhttpd.examples;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;

import java.io.IOException;

/**
 * The smallest embedding: two routes, one with a path parameter.
 *
 * <pre>
 * java -p core/target/jhttpd-core-0.1.0-SNAPSHOT.jar:examples/target/jhttpd-examples-0.1.0-SNAPSHOT.jar \
 *      -m io.jhttpd.examples/io.jhttpd.examples.HelloWorld 8080
 * curl localhost:8080/hello/Ada     # Hello, Ada!
 * </pre>
 */
public final class HelloWorld {

    private HelloWorld() {
    }

    /** Serves {@code GET /} and {@code GET /hello/{name}} on {@code port} (0 picks a free one). */
    public static HttpServer start(int port) throws IOException {
        Router router = new Router()
                .get("/", request -> Response.ok().text("Hello, World!"))
                .get("/hello/{name}", request -> Response.ok().text("Hello, " + request.pathParam("name") + "!"));
        return HttpServer.start(ServerConfig.defaults().withPort(port), router);
    }

    /** {@code HelloWorld [port]}: serves until Ctrl-C, which stops it gracefully. */
    public static void main(String[] args) throws Exception {
        HttpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Serving http://localhost:" + server.port() + "/");
        server.awaitTermination();
    }
}
