package io.jhttpd.app.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.filters.CorsFilter;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;


/**
 * The server's one {@link ErrorHandler}: every error, from a parse error (request null) to a 404 from
 * the router or a 500 from a failing handler, gets the same status and a JSON body
 * {@code {"error": "<public message>", "status": <code>}}.
 *
 * <p>The message is the exception's public message, fixed text chosen by the code that threw, so
 * nothing from the request is echoed. Headers the exception carries ({@code Allow} on a 405) are
 * copied on by the core. Server errors (5xx) that carry a cause are also written to {@code log}
 * (stderr in production) with their stack trace; the core already logs handler crashes itself.
 *
 * <p>Some errors are answered before any filter runs: a request that cannot be parsed, or one whose
 * declared Content-Length is over the body limit. So that a browser can read those too, an error
 * response carries {@code Access-Control-Allow-Origin} as the CORS filter would: {@code *} always; a
 * specific origin when the request came from it, or when the request was refused before its Origin
 * could be read (the browser compares), with {@code Vary: Origin}.
 *
 * <pre>{@code
 * HttpServer.start(config, handler, new JsonErrors("*"));
 * }</pre>
 */
public final class JsonErrors implements ErrorHandler {

    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    /** Decides the CORS fields as the server's filter does; null for none. */
    private final CorsFilter cors;

    /** @param corsOrigin {@code *}, an origin, or null for no CORS header on errors */
    public JsonErrors(String corsOrigin) {
        this.cors = corsOrigin == null ? null : new CorsFilter(corsOrigin);
    }

    @Override
    public Response render(Request request, HttpException error) {
        int code = error.status().code();
        ObjectNode body = Json.object();
        body.put("error", error.publicMessage());
        body.put("status", code);
        Response response = Response.of(error.status()).body(Json.bytes(body), Json.CONTENT_TYPE);
        if (cors != null) {
            String origin = cors.allowOriginFor(request);
            if (origin != null && error.headers().first(ALLOW_ORIGIN) == null) {
                response.header(ALLOW_ORIGIN, origin);
            }
            if (cors.variesByOrigin()) {
                response.header("Vary", "Origin");
            }
        }
        return response;
    }
}
