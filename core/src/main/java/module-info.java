/**
 * jhttpd's embeddable HTTP/1.1 server: {@link io.jhttpd.HttpServer} serves a
 * {@link io.jhttpd.http.Handler}, usually a {@link io.jhttpd.routing.Router} wrapped in filters.
 *
 * <pre>{@code
 * Router router = new Router().get("/", request -> Response.ok().text("Hello, World!"));
 * HttpServer server = HttpServer.start(ServerConfig.defaults().withPort(8080), router);
 * }</pre>
 *
 * <p>It needs nothing but the JDK: {@code java.base}, and {@code jdk.net} for Linux's TCP quick ACK
 * (every JDK has it; a {@code jlink} image of an application that requires this module gets it). It
 * logs through {@link System.Logger}. The packages
 * that read sockets and parse bytes ({@code io.jhttpd.server}, {@code io.jhttpd.wire}) are not
 * exported; a handler sees a request only through {@code io.jhttpd.http}.
 */
module io.jhttpd {
    requires jdk.net;

    exports io.jhttpd;
    exports io.jhttpd.http;
    exports io.jhttpd.routing;
    exports io.jhttpd.filters;
    exports io.jhttpd.files;
}
