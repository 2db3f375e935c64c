package io.jhttpd.routing;

import io.jhttpd.http.Handler;

import java.util.Map;

/**
 * The outcome of looking up a request in a {@link Router}: the handler and the decoded path
 * parameters it captured.
 */
public record RouteMatch(Handler handler, Map<String, String> params) {
}
