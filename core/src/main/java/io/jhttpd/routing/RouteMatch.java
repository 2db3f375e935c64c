package io.jhttpd.routing;

import io.jhttpd.http.Handler;

import java.util.Map;

/**
 * The outcome of looking up a request in a {@link Router}: the handler and the decoded path
 * parameters it captured.
 *
 * <pre>{@code
 * RouteMatch match = router.find(Method.GET, "/data/7");   // null when no route matches
 * }</pre>
 *
 * @param handler the route's handler
 * @param params  the decoded path parameters, by name in pattern order; empty when there are none
 */
public record RouteMatch(Handler handler, Map<String, String> params) {
}
