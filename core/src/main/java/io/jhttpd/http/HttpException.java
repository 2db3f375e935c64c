package io.jhttpd.http;

/**
 * A request that cannot be served normally, carrying the status the client gets, a message that is
 * safe to send as is, and whether the connection may carry further requests.
 *
 * <p>Throw it from a handler or filter to answer with that status; the server's {@link ErrorHandler}
 * renders the body. The public message must never echo request bytes or a stack trace.
 *
 * <pre>{@code
 * if (item == null) throw new HttpException(Status.NOT_FOUND_404, "No item with that id");
 * }</pre>
 */
public class HttpException extends RuntimeException {

    private final Status status;
    private final boolean keepConnection;
    private final ResponseHeaders headers = new ResponseHeaders();

    /** An error after which the connection stays usable (the request's framing was sound). */
    public HttpException(Status status, String publicMessage) {
        this(status, publicMessage, true, null);
    }

    /** As {@link #HttpException(Status, String)}, keeping the cause for the server's log. */
    public HttpException(Status status, String publicMessage, Throwable cause) {
        this(status, publicMessage, true, cause);
    }

    /**
     * For subclasses that decide whether the connection survives; {@link #closing} is the public
     * way to ask for a close.
     *
     * @param keepConnection false when the server must close the connection after answering
     * @param cause          the underlying failure, or null
     */
    protected HttpException(Status status, String publicMessage, boolean keepConnection, Throwable cause) {
        super(publicMessage, cause, false, false);
        this.status = status;
        this.keepConnection = keepConnection;
    }

    /** An error after which the server answers and then closes the connection. */
    public static HttpException closing(Status status, String publicMessage) {
        return new HttpException(status, publicMessage, false, null);
    }

    /** The status the client gets. */
    public Status status() {
        return status;
    }

    /**
     * Adds a header field to the error response, such as {@code Allow} on a 405 or
     * {@code Content-Range} on a 416; the error handler's response gets it whatever its body.
     */
    public HttpException withHeader(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** The header fields the error response must carry. */
    public ResponseHeaders headers() {
        return headers;
    }

    /** The message for the client: fixed text chosen by the code that threw. */
    public String publicMessage() {
        return getMessage();
    }

    /** False when the server must close the connection after answering (any framing error). */
    public boolean keepConnection() {
        return keepConnection;
    }
}
