package io.jhttpd.server;

import io.jhttpd.ServerListener;
import io.jhttpd.http.Method;
import io.jhttpd.http.Status;
import io.jhttpd.wire.ConnectionInput;
import io.jhttpd.wire.ConnectionOutput;

import java.net.InetSocketAddress;

/**
 * Tells the server's {@link ServerListener} what one connection does, measuring each request's time
 * and bytes; owned by the connection's thread. Without a listener ({@link ServerListener#NONE}) every
 * method returns at once: no clock read, no byte count.
 *
 * <p>A request's bytes are differences of running totals: what the socket input has read less what is
 * still buffered unconsumed, and what the output has taken, each against the mark the previous request
 * left. The totals belong to the connection's working set, which parking drops; {@link #countFrom} starts
 * the marks again with each new one.
 *
 * <p>One clock reading per pipelined request: when the next request was already buffered as one
 * completed ({@link #nextFollowsAtOnce}), it starts at that completion's reading, with no clock read of
 * its own (its time then includes the parsing of its head, a fraction of a microsecond).
 */
final class RequestMeter {

    private final ServerListener listener;
    private final boolean observed;
    private final InetSocketAddress remote;
    /** The connection's current working set: a parked connection drops it and a woken one makes anew. */
    private DeadlineInputStream socketInput;
    private ConnectionInput input;
    private ConnectionOutput output;
    private boolean inFlight;
    private Method method;
    private Status status;
    private long start;
    /** The clock reading of the last completion, and whether the next request starts at it. */
    private long lastCompletion;
    private boolean startAtLastCompletion;
    private long readMark;
    private long writeMark;

    RequestMeter(ServerListener listener, InetSocketAddress remote) {
        this.listener = listener;
        this.observed = listener != ServerListener.NONE;
        this.remote = remote;
    }

    /**
     * Counts from a new working set on. It starts with nothing read or written and nothing buffered (a
     * connection parks only when it holds no unread bytes), so the marks start at zero.
     */
    void countFrom(DeadlineInputStream newSocketInput, ConnectionInput newInput, ConnectionOutput newOutput) {
        socketInput = newSocketInput;
        input = newInput;
        output = newOutput;
        readMark = 0;
        writeMark = 0;
    }

    /**
     * Lets go of the working set when the connection drops it (parking, or closing): nothing is in
     * flight then, and a parked connection would otherwise keep the streams and their buffers' views
     * alive (about 150 bytes of an idle connection's heap).
     */
    void forgetWorkingSet() {
        socketInput = null;
        input = null;
        output = null;
    }

    void connectionOpened() {
        if (observed) {
            listener.connectionOpened(remote);
        }
    }

    /** The connection has closed: completes a request it was serving, then says so. */
    void connectionClosed() {
        if (!observed) {
            return;
        }
        if (inFlight) {
            completed(true); // the client went away, a write failed or shutdown aborted it
        }
        listener.connectionClosed(remote);
    }

    /** A head was parsed ({@code method} set) or found malformed ({@code method} null). */
    void started(Method requestMethod) {
        if (!observed) {
            return;
        }
        inFlight = true;
        method = requestMethod;
        status = Status.INTERNAL_SERVER_ERROR_500; // until a response is chosen
        start = startAtLastCompletion ? lastCompletion : System.nanoTime();
        startAtLastCompletion = false;
        listener.requestStarted();
    }

    /** The response about to be written; it is what the request reports if the write fails. */
    void responding(Status responseStatus) {
        status = responseStatus;
    }

    /**
     * The response has been handed to the output.
     *
     * @param closing whether the connection closes after it: every byte received then counts for it
     */
    void completed(boolean closing) {
        if (!observed) {
            return;
        }
        inFlight = false;
        long read = socketInput.bytesRead();
        long consumed = closing ? read : read - input.unconsumed();
        long written = output.bytesWritten();
        long now = System.nanoTime();
        listener.requestCompleted(method, status, now - start, consumed - readMark, written - writeMark);
        lastCompletion = now;
        readMark = consumed;
        writeMark = written;
    }

    /**
     * The rest of the completed request's body was read and dropped after its response: those bytes
     * belong to that request, not to the next (it has reported its count already, so they are counted
     * by no request).
     */
    void dropped() {
        if (observed) {
            readMark = socketInput.bytesRead() - input.unconsumed();
        }
    }

    /**
     * The request just completed was answered by the server itself, before any handler (see
     * {@link ServerListener#requestRefused}); its request line is copied only when someone listens.
     */
    void refused(Status sent, long bodyBytes) {
        if (observed) {
            listener.requestRefused(remote, input.requestLine(), sent, bodyBytes, lastCompletion - start);
        }
    }

    /** The next request's head is buffered already: it starts now, at the last completion's reading. */
    void nextFollowsAtOnce() {
        startAtLastCompletion = observed;
    }
}
