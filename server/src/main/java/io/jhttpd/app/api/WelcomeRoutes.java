package io.jhttpd.app.api;

import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.routing.Router;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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

    /**
     * The field's bytes as they came when they are UTF-8 (what curl sends from a UTF-8 terminal);
     * otherwise each byte is the Latin-1 character it names (RFC 9110 §5.5: field values are octets,
     * historically ISO-8859-1), re-encoded as UTF-8 for the {@code charset=utf-8} body.
     */
    private static Response userAgent(Request request) {
        String agent = request.header("User-Agent");
        if (agent == null) {
            return Response.ok().text("");
        }
        byte[] octets = agent.getBytes(StandardCharsets.ISO_8859_1); // one char per octet of the field
        return Response.ok().body(isUtf8(octets) ? octets : agent.getBytes(StandardCharsets.UTF_8), Response.TEXT_PLAIN);
    }

    private static boolean isUtf8(byte[] octets) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
