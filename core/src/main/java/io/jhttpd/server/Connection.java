package io.jhttpd.server;

import io.jhttpd.Limits;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseHeaders;
import io.jhttpd.http.Status;
import io.jhttpd.http.Version;
import io.jhttpd.wire.BodyFraming;
import io.jhttpd.wire.ConnectionInput;
import io.jhttpd.wire.ConnectionOutput;
import io.jhttpd.wire.HttpParseException;
import io.jhttpd.wire.RequestBody;
import io.jhttpd.wire.RequestHead;
import io.jhttpd.wire.ResponseWriter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One socket's request loop, run on its own virtual thread: read a head, frame the body, dispatch,
 * write, then keep alive or close. The connection and its buffers belong to that thread alone.
 *
 * <p>Shutdown talks to it through {@link #closeIfIdle()} and {@link #drain()}: an idle connection
 * (waiting for a request, nothing buffered) is closed at once; a busy one finishes its request and
 * answers with {@code Connection: close}.
 */
final class Connection implements Runnable {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSED = 2;
    /** Idle, and its buffers let go by the watchdog; it makes new ones when a request comes. */
    private static final int TRIMMED = 3;
    /** The watchdog is letting the buffers go: a request that arrives now waits for it to finish. */
    private static final int TRIMMING = 4;

    private final SocketChannel channel;
    private final Socket socket;
    private final Limits limits;
    private final Handler handler;
    private final ErrorHandler errorHandler;
    private final ConnectionRegistry registry;
    private final DeadlineInputStream socketInput;
    private final ConnectionInput input;
    private final ConnectionOutput output;
    private final ResponseWriter writer;
    private final InetSocketAddress remote;
    private final RequestMeter meter;
    private final AtomicInteger state = new AtomicInteger(BUSY);
    private volatile boolean draining;
    /** Requests begun so far: the watchdog trims a connection idle across two of its ticks. */
    private volatile int requestsBegun;
    private int requestsSeenByWatchdog;

    Connection(SocketChannel channel, ServerContext context) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.limits = context.limits();
        this.handler = context.handler();
        this.errorHandler = context.errorHandler();
        this.registry = context.registry();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        socket.setTcpNoDelay(true);
        this.socketInput = new DeadlineInputStream(socket.getInputStream(), channel);
        this.input = new ConnectionInput(socketInput, socketInput, limits);
        this.output = new ConnectionOutput(channel);
        this.writer = new ResponseWriter(output, context.serverName());
        this.meter = new RequestMeter(context.listener(), remote, socketInput, input, output);
    }

    @Override
    public void run() {
        try {
            meter.connectionOpened();
            serve();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection from {0} ended: {1}", remote, e.toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "connection from " + remote + " failed", e);
        } finally {
            state.set(CLOSED);
            Sockets.closeQuietly(channel);
            try {
                meter.connectionClosed();
            } finally {
                registry.remove(this);
            }
        }
    }

    private void serve() throws IOException {
        for (int served = 1; ; served++) {
            RequestHead head;
            try {
                head = awaitHead();
                if (head == null) {
                    return;
                }
            } catch (HttpParseException e) {
                meter.started(null);
                answerAndClose(null, e);
                return;
            }
            if (!exchange(head, served)) {
                return;
            }
        }
    }

    /**
     * Waits for the next request head; null when the connection should end quietly (peer closed,
     * keep-alive idle timeout, or the server is stopping).
     */
    private RequestHead awaitHead() throws IOException {
        if (!input.hasBufferedBytes()) {
            output.flush();
            state.set(IDLE);
            if (draining || input.awaitFirstBytes(limits.idleTimeout().toMillis()) <= 0 || !wakeUp()) {
                return null;
            }
        }
        requestsBegun++;
        return input.readHead(limits.idleTimeout().toMillis());
    }

    /** Leaves the idle state as a request's first bytes arrive; false when shutdown closed it meanwhile. */
    private boolean wakeUp() {
        while (true) {
            if (state.compareAndSet(IDLE, BUSY)) {
                return true;
            }
            if (state.compareAndSet(TRIMMED, BUSY)) {
                output.restore();
                return true;
            }
            if (state.get() != TRIMMING) {
                return false; // closed by shutdown
            }
            Thread.onSpinWait(); // the watchdog is a few field writes from done
        }
    }

    /** Serves one request; returns whether the connection stays open for another. */
    private boolean exchange(RequestHead head, int served) throws IOException {
        meter.started(head.method());
        RequestBody body;
        try {
            body = BodyFraming.forRequest(head, input, limits, writer::writeContinue);
        } catch (HttpParseException e) {
            answerAndClose(head, e);
            return false;
        }
        Request request = new Request(head.method(), head.path(), head.query(), head.version(), head, body, remote);
        Dispatch dispatch = dispatch(request, body);
        boolean keepAlive = dispatch.keepConnection
                && !draining
                && served < limits.maxRequestsPerConnection()
                && persistent(head)
                && !body.broken() && !body.awaitingContinue()
                && ResponseWriter.canKeepAlive(dispatch.response, head.method(), head.version());
        meter.responding(dispatch.response.status());
        writer.write(dispatch.response, head.method(), head.version(), keepAlive);
        if (!keepAlive) {
            meter.completed(true);
            output.flush();
            Sockets.lingeringClose(channel, socket);
            return false;
        }
        if (!body.complete() && !body.discardRest(limits.maxDrainBytes())) {
            meter.completed(true);
            output.flush();
            return false;
        }
        meter.completed(false);
        if (!input.hasBufferedHead()) {
            output.flush();
        }
        return true;
    }

    /** RFC 9112 §9.3: 1.1 persists unless asked to close; 1.0 only when it asks for keep-alive. */
    private static boolean persistent(RequestHead head) {
        if (head.connectionClose()) {
            return false;
        }
        return head.version().persistsByDefault() || head.connectionKeepAlive();
    }

    private record Dispatch(Response response, boolean keepConnection) {
    }

    /** Runs the handler; maps what it throws to a response, once, here. */
    private Dispatch dispatch(Request request, RequestBody body) {
        try {
            Response response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("handler returned no response for " + request);
            }
            return new Dispatch(response, true);
        } catch (HttpException e) {
            if (e.getCause() != null && e.status().code() >= 500) {
                if (body.broken()) {
                    return bodyFailed(request, e.getCause()); // a crash a filter turned into a 500
                }
                LOG.log(System.Logger.Level.ERROR, "handler failed on " + request + " from " + remote, e.getCause());
            }
            return new Dispatch(render(request, e), e.keepConnection());
        } catch (Exception e) {
            if (body.broken()) {
                return bodyFailed(request, e);
            }
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + request + " from " + remote, e);
            HttpException error = new HttpException(Status.INTERNAL_SERVER_ERROR_500, "Internal server error");
            return new Dispatch(render(request, error), true);
        }
    }

    /**
     * The body failed under the handler (the client reset, went silent or broke framing): the client's
     * doing, not the server's. No 500 and no ERROR, or each reset would log a stack trace.
     */
    private Dispatch bodyFailed(Request request, Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "request body from {0} failed: {1}", remote, failure.toString());
        return new Dispatch(render(request, new HttpException(Status.BAD_REQUEST_400, "Request body could not be read")),
                false);
    }

    private Response render(Request request, HttpException error) {
        Response response;
        try {
            response = errorHandler.render(request, error);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "error handler failed", e);
            response = ErrorHandler.PLAIN_TEXT.render(request, error);
        }
        ResponseHeaders extra = error.headers();
        for (int i = 0; i < extra.size(); i++) {
            response.headers().set(extra.name(i), extra.value(i));
        }
        return response;
    }

    /** Answers a request that could not be framed, then closes in stages (RFC 9112 §9.6). */
    private void answerAndClose(RequestHead head, HttpParseException error) throws IOException {
        Method method = head == null || head.method() == null ? Method.GET : head.method();
        Version version = head == null || head.version() == null ? Version.HTTP_1_1 : head.version();
        meter.responding(error.status());
        writer.write(render(null, error), method, version, false);
        meter.completed(true);
        output.flush();
        Sockets.lingeringClose(channel, socket);
    }

    /** Closes the connection if it is waiting for a request; returns whether it did. */
    boolean closeIfIdle() {
        if (state.compareAndSet(IDLE, CLOSED) || state.compareAndSet(TRIMMED, CLOSED)) {
            Sockets.closeQuietly(channel);
            return true;
        }
        return false;
    }

    /**
     * Lets the buffers of a connection go when it began no request since the watchdog's last tick and
     * is waiting for one: an idle keep-alive connection then holds little more than its socket and its
     * parked thread. The connection's thread makes new buffers when the next request comes.
     */
    private void trimIfIdle() {
        int begun = requestsBegun;
        if (begun == requestsSeenByWatchdog && state.compareAndSet(IDLE, TRIMMING)) {
            input.trim();
            output.trim();
            state.set(TRIMMED);
        }
        requestsSeenByWatchdog = begun;
    }

    /** Asks a busy connection to close after its current response. */
    void drain() {
        draining = true;
    }

    /** Closes the socket whatever the connection is doing (the shutdown deadline passed). */
    void abort() {
        state.set(CLOSED);
        Sockets.closeQuietly(channel);
    }

    /**
     * Called by the watchdog: ends a read past its deadline, and aborts the connection if one socket
     * write has been blocked longer than {@code writeTimeoutNanos} (the client stopped reading).
     */
    void checkDeadlines(long now, long writeTimeoutNanos) {
        socketInput.expireIfPast(now);
        trimIfIdle();
        long since = output.writingSince();
        if (since != 0 && now - since > writeTimeoutNanos) {
            LOG.log(System.Logger.Level.DEBUG, "closing {0}: client stopped reading", remote);
            abort();
        }
    }
}
