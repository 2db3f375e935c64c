package io.jhttpd.app.ops;

import io.jhttpd.app.json.Json;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

/**
 * The operator endpoints, for probes and scrapers rather than users. None is cached
 * ({@code Cache-Control: no-store}); {@code HEAD} works on each.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET /health</td><td>liveness: 200 {@code {"status":"up"}} whenever the server answers at all</td></tr>
 *   <tr><td>GET /ready</td><td>readiness: 200 {@code {"status":"ready"}}; 503 {@code {"error":...,"status":503}}
 *       while the data store fails its ping or the server is stopping</td></tr>
 *   <tr><td>GET /metrics</td><td>200, {@link Metrics#exposition()} as {@value Metrics#CONTENT_TYPE}</td></tr>
 * </table>
 *
 * <pre>{@code
 * new OpsRoutes(metrics, readiness).register(router);
 * }</pre>
 */
public final class OpsRoutes {

    private static final byte[] UP = Json.bytes(Json.object().put("status", "up"));
    private static final byte[] READY = Json.bytes(Json.object().put("status", "ready"));

    private final Metrics metrics;
    private final Readiness readiness;

    public OpsRoutes(Metrics metrics, Readiness readiness) {
        this.metrics = metrics;
        this.readiness = readiness;
    }

    public Router register(Router router) {
        return router
                .get("/health", request -> uncached(Response.ok().body(UP, Json.CONTENT_TYPE)))
                .get("/ready", this::ready)
                .get("/metrics", request -> uncached(Response.ok().body(metrics.expositionBytes(),
                        Metrics.CONTENT_TYPE)));
    }

    private Response ready(Request request) {
        String reason = readiness.notReadyReason();
        if (reason != null) {
            throw new HttpException(Status.SERVICE_UNAVAILABLE_503, reason).withHeader("Cache-Control", "no-store");
        }
        return uncached(Response.ok().body(READY, Json.CONTENT_TYPE));
    }

    private static Response uncached(Response response) {
        return response.header("Cache-Control", "no-store");
    }
}
