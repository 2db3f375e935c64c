package io.jhttpd.app;

import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;

/**
 * Turns anything a route throws that is not an {@link HttpException} (an I/O error writing a file, a
 * bug) into a 500 {@code HttpException} carrying it as the cause. The filters above then treat it like
 * any other error (CORS adds its header, the access log records 500), and {@code JsonErrors} writes
 * the request line and the cause's stack trace to the app's error stream, once. The client sees only
 * {@code "Internal server error"}.
 *
 * <pre>{@code
 * Handler app = Filter.chain(router, accessLog, cors, gzip, new ServerErrorFilter());
 * }</pre>
 */
final class ServerErrorFilter implements Filter {

    @Override
    public Response apply(Request request, Handler next) throws Exception {
        try {
            return next.handle(request);
        } catch (HttpException e) {
            throw e;
        } catch (Exception e) {
            throw new HttpException(Status.INTERNAL_SERVER_ERROR_500, "Internal server error", e);
        }
    }
}
