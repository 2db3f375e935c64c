package io.jhttpd.app;

import io.jhttpd.HttpServer;
import io.jhttpd.ServerConfig;
import io.jhttpd.http.Response;

/** Placeholder entry point until the full CLI lands. */
public final class Main {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.start(ServerConfig.defaults(), request -> Response.ok().text("Hello, World!"));
        System.out.println("jhttpd listening on http://localhost:" + server.port() + "/");
        server.awaitTermination();
    }
}
