package io.jhttpd;

import io.jhttpd.http.Method;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Told by the server what its connections and requests do, for metrics: set one with
 * {@link ServerConfig#withListener}. Every method has an empty default, so an implementation overrides
 * only what it counts; {@link #NONE} (the default) is skipped on the hot path altogether.
 *
 * <p><b>Threads.</b> The server calls it from many threads at once: each connection's own virtual
 * thread (its open, requests and close arrive in that order), and the accept thread for
 * {@link #acceptFailed}. An implementation must be thread-safe, must return quickly (it runs before
 * the response leaves, on the request's thread) and must not throw; counters in {@code LongAdder}s are
 * the expected shape. The server passes primitives and objects it already holds: it allocates nothing
 * per call (except for {@link #requestRefused}, which is rare).
 *
 * <p><b>Pairing.</b> Every {@link #connectionOpened} is followed by one {@link #connectionClosed}, and
 * every {@link #requestStarted} by one {@link #requestCompleted}, whatever happens in between (a
 * client reset, a write timeout, shutdown), so a gauge made of increments and decrements stays exact.
 * A request is completed when its response has been handed to the socket (it may still sit in the
 * connection's buffer behind a pipelined one), before the connection is flushed or closed: a client
 * that has read a response can rely on the call having happened.
 *
 * <pre>{@code
 * LongAdder served = new LongAdder();
 * ServerListener counting = new ServerListener() {
 *     public void requestCompleted(Method m, Status s, long nanos, long in, long out) { served.increment(); }
 * };
 * HttpServer server = HttpServer.start(ServerConfig.defaults().withListener(counting), router);
 * }</pre>
 */
public interface ServerListener {

    /** Listens to nothing; the server skips its clock reads and byte counts for it. */
    ServerListener NONE = new ServerListener() {
    };

    /** A connection was accepted and will be served; called on its own thread before it reads. */
    default void connectionOpened(InetSocketAddress remote) {
    }

    /** A connection opened earlier has closed, for whatever reason. */
    default void connectionClosed(InetSocketAddress remote) {
    }

    /**
     * A connection was accepted past {@link Limits#maxConnections()}: it is answered 503 and closed,
     * without {@link #connectionOpened} or any request event.
     */
    default void connectionRejected(InetSocketAddress remote) {
    }

    /**
     * Accepting a connection failed (usually: no file descriptors left), and the accept loop backs off
     * before trying again. This counts failed {@code accept} calls, not clients: the kernel keeps a
     * pending connection queued meanwhile. Called on the accept thread; what it throws is ignored.
     */
    default void acceptFailed(IOException failure) {
    }

    /**
     * A request's head has been read and parsed (or found malformed, in which case
     * {@link #requestCompleted} follows at once with the error status): it is in flight.
     */
    default void requestStarted() {
    }

    /**
     * A request has been answered.
     *
     * @param method        the request's method; null when its head could not be parsed (400, 414, 431,
     *                      408, and 501 for a method jhttpd does not know)
     * @param status        the status of the response written, or being written when the connection
     *                      failed (a client that went away mid-response still counts, with the bytes
     *                      that did leave)
     * @param durationNanos from the moment the head was parsed (or found malformed) to the moment the
     *                      response was handed to the socket
     * @param bytesRead     the request's bytes as received: its head (leading empty lines included) and
     *                      its body with any chunked framing, also when the server read it only to discard
     *                      it; but when the handler left the body unread and its rest had not all arrived,
     *                      the answer goes first and counts only the body bytes consumed by then (for a
     *                      fixed length, all that had arrived); the rest, read and dropped afterwards,
     *                      is counted by no request. When the server closes the
     *                      connection after this request, every byte
     *                      received and not yet counted (an unread body, pipelined requests it will not
     *                      serve, a head it could not parse)
     * @param bytesWritten  the response's bytes, head and body, an interim {@code 100 Continue} included
     */
    default void requestCompleted(Method method, Status status, long durationNanos, long bytesRead,
                                  long bytesWritten) {
    }

    /**
     * A request the server answered itself, before any handler (and so any filter) saw it: a head it
     * could not parse or would not take (400, 408, 414, 417, 431, 501, 505), or a declared body over
     * the limit (413). The connection closes after it. Called right after its {@link #requestCompleted},
     * so that an access log can show what filters never see. This one call allocates: the request line
     * is copied out of the read buffer.
     *
     * @param remote        the client's address
     * @param requestLine   the request line as received, one char per byte, cut after 1024 of them
     *                      (then {@code ...}); null when its line end never arrived (a timeout in the
     *                      middle of it, a line refused as too long before its end came)
     * @param status        the status sent
     * @param bodyBytes     the length of the error's body, or -1 when none was sent (HEAD)
     * @param durationNanos as in {@link #requestCompleted}
     */
    default void requestRefused(InetSocketAddress remote, String requestLine, Status status, long bodyBytes,
                                long durationNanos) {
    }

    /**
     * One listener that tells each of {@code listeners} everything, in order; {@link #NONE} ones are
     * left out, and with none left the result is {@link #NONE} (which the server skips altogether).
     */
    static ServerListener all(ServerListener... listeners) {
        return CombinedListener.of(listeners);
    }
}
