package io.jhttpd.app.api;

import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /} answers {@value #WELCOME} (benchmarks depend on that exact body) and
 * {@code GET /user-agent} answers the request's {@code User-Agent} as text.
 *
 * <p>A request without {@code User-Agent} gets 200 with an empty body: RFC 9110 §10.1.5 makes the
 * field a SHOULD for clients, so its absence is not an error, and an empty body says exactly what was
 * sent. The value is returned in the body only, never in a header.
 *
 * <pre>{@code
 * new WelcomeRoutes().register(router);
 * }</pre>
 */
public final class WelcomeRoutes {

    public static final String WELCOME = "Hello, World!";

    /** Encoded once: every {@code GET /} shares it (a body array is never written to after it is handed over). */
    private static final byte[] WELCOME_BYTES = WELCOME.getBytes(StandardCharsets.UTF_8);

    public Router register(Router router) {
        return router
                .get("/", request -> Response.ok().body(WELCOME_BYTES, Response.TEXT_PLAIN))
                .get("/user-agent", WelcomeRoutes::userAgent);
    }

    private static Response userAgent(Request request) {
        String agent = request.header("User-Agent");
        return Response.ok().text(agent == null ? "" : agent);
    }
}
