package io.jhttpd.http;

/**
 * Handles one request and returns its response.
 *
 * <p>Runs on the connection's virtual thread, so blocking code is fine. The request and its body are
 * readable only until this returns; a body the handler leaves unread is drained or the connection is
 * closed. An {@link HttpException} becomes its status; anything else becomes 500 and is logged once.
 *
 * <pre>{@code
 * Handler hello = request -> Response.ok().text("Hello, World!");
 * }</pre>
 */
@FunctionalInterface
public interface Handler {

    /**
     * Returns the response to {@code request}. After it returns the request and its body are off limits.
     *
     * @throws Exception an {@link HttpException} becomes its status; anything else becomes 500
     */
    Response handle(Request request) throws Exception;
}
