package io.jhttpd.http;

/**
 * Turns an {@link HttpException} into the response the client sees. There is one per server, so that
 * every error (a parse error, a 404 from the router, a 500 from a failing handler) has the same form.
 *
 * <p>It runs on the connection's thread. {@code request} is null when the request could not be parsed.
 * The server adds {@code Connection: close} itself when the error ends the connection.
 *
 * <pre>{@code
 * ErrorHandler json = (request, error) -> Response.of(error.status())
 *         .body("{\"error\":\"" + error.publicMessage() + "\"}", "application/json");
 * }</pre>
 */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * The response for {@code error}, usually with its status and its public message in a body. The
     * server then sets the error's own header fields on it (such as {@code Allow}). It should not
     * throw: if it does, the failure is logged and {@link #PLAIN_TEXT} renders the error instead.
     *
     * @param request the request that failed (its head with an empty body when its body's framing was
     *                refused: a Content-Length over the limit, a bad Transfer-Encoding), or null when its
     *                head could not be parsed
     */
    Response render(Request request, HttpException error);

    /** A short {@code text/plain} body holding the public message. */
    ErrorHandler PLAIN_TEXT = (request, error) ->
            Response.of(error.status()).text(error.publicMessage() + "\n");
}
