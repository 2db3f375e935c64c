package io.jhttpd.server;

import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseHeaders;
import io.jhttpd.http.Status;
import io.jhttpd.wire.RequestBody;

import java.net.InetSocketAddress;

/**
 * Runs the application's handler for one request and turns whatever it throws into a response, once,
 * here: an {@link HttpException} becomes its status, any other exception a 500 (logged), an
 * {@link Error} (out of memory) a 500 that closes the connection. A body that
 * failed under the handler (the client reset, went silent or broke framing) throws its own 400 or 408
 * {@code HttpParseException}, which closes the connection and is not logged, since the client caused
 * it; should a handler turn that failure into a 500 or a non-HTTP exception, the broken body makes
 * it a 400 that closes, logged at DEBUG only (other answers keep their status, and the connection
 * closes). Shared by every connection of a server; holds no state of its own.
 */
final class Dispatcher {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");

    private final Handler handler;
    private final ErrorHandler errorHandler;

    Dispatcher(Handler handler, ErrorHandler errorHandler) {
        this.handler = handler;
        this.errorHandler = errorHandler;
    }

    /** The response to send, and whether the connection may carry another request after it. */
    record Outcome(Response response, boolean keepConnection) {
    }

    Outcome dispatch(Request request, RequestBody body, InetSocketAddress remote) {
        try {
            Response response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("handler returned no response for " + request);
            }
            return new Outcome(response, true);
        } catch (HttpException e) {
            if (e.getCause() != null && e.status().code() >= 500) {
                if (body.broken()) {
                    return bodyFailed(request, e.getCause(), remote); // a crash a filter turned into a 500
                }
                LOG.log(System.Logger.Level.ERROR, "handler failed on " + request + " from " + remote, e.getCause());
            }
            return new Outcome(render(request, e), e.keepConnection());
        } catch (Exception e) {
            if (body.broken()) {
                return bodyFailed(request, e, remote);
            }
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + request + " from " + remote, e);
            return new Outcome(render(request, internalError()), true);
        } catch (Error e) {
            // Out of memory or a stack overflow in one handler: what it held is garbage by now, so the
            // client still gets its 500; the connection closes, since the error may have struck anywhere.
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + request + " from " + remote, e);
            return new Outcome(render(request, internalError()), false);
        }
    }

    private static HttpException internalError() {
        return new HttpException(Status.INTERNAL_SERVER_ERROR_500, "Internal server error");
    }

    /**
     * The error's response from the server's error handler (the plain-text one if that fails), with
     * the headers the error carries.
     *
     * @param request the request, or null when none could be parsed
     */
    Response render(Request request, HttpException error) {
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

    private Outcome bodyFailed(Request request, Throwable failure, InetSocketAddress remote) {
        LOG.log(System.Logger.Level.DEBUG, "request body from {0} failed: {1}", remote, failure.toString());
        return new Outcome(render(request, new HttpException(Status.BAD_REQUEST_400, "Request body could not be read")),
                false);
    }
}
