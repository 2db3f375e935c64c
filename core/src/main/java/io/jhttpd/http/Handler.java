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

    Response handle(Request request) throws Exception;
}
