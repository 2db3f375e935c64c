package io.jhttpd.app.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;

import java.io.PrintStream;

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
 * <pre>{@code
 * HttpServer.start(config, handler, new JsonErrors(System.err));
 * }</pre>
 */
public final class JsonErrors implements ErrorHandler {

    private final PrintStream log;

    public JsonErrors(PrintStream log) {
        this.log = log;
    }

    @Override
    public Response render(Request request, HttpException error) {
        int code = error.status().code();
        if (code >= 500 && error.getCause() != null) {
            log.println("jhttpd: error: " + code + " on " + (request == null ? "an unparsed request" : request)
                    + ": " + error.publicMessage());
            error.getCause().printStackTrace(log);
        }
        ObjectNode body = Json.object();
        body.put("error", error.publicMessage());
        body.put("status", code);
        return Response.of(error.status()).body(Json.bytes(body), Json.CONTENT_TYPE);
    }
}
