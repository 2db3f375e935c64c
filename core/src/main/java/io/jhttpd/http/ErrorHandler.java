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

    Response render(Request request, HttpException error);

    /** A short {@code text/plain} body holding the public message. */
    ErrorHandler PLAIN_TEXT = (request, error) ->
            Response.of(error.status()).text(error.publicMessage() + "\n");
}
