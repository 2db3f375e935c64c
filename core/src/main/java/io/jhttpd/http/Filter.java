package io.jhttpd.http;

/**
 * Middleware: code that runs around a handler, and may answer in its place or change its response.
 *
 * <pre>{@code
 * Filter timing = (request, next) -> {
 *     long start = System.nanoTime();
 *     Response response = next.handle(request);
 *     return response.header("Server-Timing", "app;dur=" + (System.nanoTime() - start) / 1_000_000);
 * };
 * Handler app = timing.wrap(router);
 * }</pre>
 */
@FunctionalInterface
public interface Filter {

    /**
     * Handles {@code request}, usually by calling {@code next.handle(request)} and returning its
     * response, changed or not; answering without calling {@code next} is allowed. Runs on the
     * connection's thread, as handlers do, and throws what they throw.
     *
     * @throws Exception an {@link HttpException} becomes its status; anything else becomes 500
     */
    Response apply(Request request, Handler next) throws Exception;

    /** This filter in front of {@code next}. */
    default Handler wrap(Handler next) {
        return request -> apply(request, next);
    }

    /** Filters in the order given, outermost first, in front of {@code handler}. */
    static Handler chain(Handler handler, Filter... outermostFirst) {
        Handler h = handler;
        for (int i = outermostFirst.length - 1; i >= 0; i--) {
            h = outermostFirst[i].wrap(h);
        }
        return h;
    }
}
