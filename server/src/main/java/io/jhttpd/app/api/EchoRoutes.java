package io.jhttpd.app.api;

import io.jhttpd.app.json.Json;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;
import io.jhttpd.routing.Router;

/**
 * Echoes text from the request back in the response body, never in a header, so no input can inject a
 * header (RFC 9112 §11.1). Bodies are marked {@code nosniff} so a browser never runs echoed markup.
 *
 * <ul>
 *   <li>{@code GET /echo?msg=hello} (or {@code ?message=}) gives {@code {"message":"hello"}}; the query is
 *       percent-decoded with {@code +} as a space; {@code msg} wins when both are given; neither is a 400.</li>
 *   <li>{@code GET /echo/{text}} gives the decoded segment as {@code text/plain}.</li>
 * </ul>
 *
 * <pre>{@code
 * new EchoRoutes().register(router);
 * }</pre>
 */
public final class EchoRoutes {

    public Router register(Router router) {
        return router
                .get("/echo", EchoRoutes::echoQuery)
                .get("/echo/{text}", request -> noSniff(Response.ok().text(request.pathParam("text"))));
    }

    private static Response echoQuery(Request request) {
        String message = request.queryParam("msg");
        if (message == null) {
            message = request.queryParam("message");
        }
        if (message == null) {
            throw new HttpException(Status.BAD_REQUEST_400, "Query parameter msg or message is required");
        }
        byte[] body = Json.objectOfString("message", message);
        return noSniff(Response.ok().body(body, Json.CONTENT_TYPE));
    }

    private static Response noSniff(Response response) {
        return response.header("X-Content-Type-Options", "nosniff");
    }
}
