package io.jhttpd.routing;

import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.PercentCodec;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.Status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Routes requests by method and path; itself a {@link Handler}.
 *
 * <p>The most specific route wins: a literal segment beats {@code {param}}, which beats
 * {@code {rest...}}. {@code GET} routes also answer {@code HEAD}. A path that matches with the wrong
 * method gets 405 with {@code Allow} (RFC 9110 §15.5.6); no match gets 404. {@code OPTIONS} on a known
 * path answers 204 with {@code Allow}, and {@code OPTIONS *} lists every method the server routes
 * (RFC 9110 §9.3.7). Registering the same method and pattern twice fails at once.
 *
 * <pre>{@code
 * Router router = new Router()
 *         .get("/", request -> Response.ok().text("Hello"))
 *         .get("/data/{id}", request -> Response.ok().text(request.pathParam("id")))
 *         .post("/data", this::create);
 * }</pre>
 */
public final class Router implements Handler {

    private final Node root = new Node();
    private final Set<Method> routedMethods = EnumSet.noneOf(Method.class);

    /** A router with no routes; add them with {@link #get} and the like before the server starts. */
    public Router() {
    }

    /** Routes {@code GET} (and so {@code HEAD}) on {@code pattern}; see {@link #route}. */
    public Router get(String pattern, Handler handler) {
        return route(Method.GET, pattern, handler);
    }

    /** Routes {@code POST} on {@code pattern}; see {@link #route}. */
    public Router post(String pattern, Handler handler) {
        return route(Method.POST, pattern, handler);
    }

    /** Routes {@code PUT} on {@code pattern}; see {@link #route}. */
    public Router put(String pattern, Handler handler) {
        return route(Method.PUT, pattern, handler);
    }

    /** Routes {@code DELETE} on {@code pattern}; see {@link #route}. */
    public Router delete(String pattern, Handler handler) {
        return route(Method.DELETE, pattern, handler);
    }

    /** Routes {@code PATCH} on {@code pattern}; see {@link #route}. */
    public Router patch(String pattern, Handler handler) {
        return route(Method.PATCH, pattern, handler);
    }

    /**
     * Adds a route: requests with {@code method} whose path matches {@code pattern} ({@link PathPattern})
     * go to {@code handler}, with the captured segments as path parameters. Routes are added before the
     * server starts; the router is not meant to change while it serves.
     *
     * @return this router, to add the next route
     * @throws IllegalArgumentException for a malformed pattern, or one already routed for this method
     */
    public Router route(Method method, String pattern, Handler handler) {
        PathPattern parsed = PathPattern.parse(pattern);
        Node node = root;
        List<String> names = new ArrayList<>();
        for (PathPattern.Segment segment : parsed.segments()) {
            node = switch (segment) {
                case PathPattern.Literal literal -> node.literals.computeIfAbsent(literal.text(), k -> new Node());
                case PathPattern.Param param -> {
                    names.add(param.name());
                    yield node.param == null ? node.param = new Node() : node.param;
                }
                case PathPattern.Rest rest -> {
                    names.add(rest.name());
                    yield node.rest == null ? node.rest = new Node() : node.rest;
                }
            };
        }
        if (node.routes.containsKey(method)) {
            throw new IllegalArgumentException(method + " " + pattern + " conflicts with "
                    + method + " " + node.routes.get(method).pattern);
        }
        node.routes.put(method, new Route(parsed, List.copyOf(names), handler));
        routedMethods.add(method);
        return this;
    }

    @Override
    public Response handle(Request request) throws Exception {
        if (request.path().equals("*")) {
            return Response.of(Status.OK_200).header("Allow", allowHeader(routedMethods));
        }
        List<String> segments = segmentsOf(request.path());
        Lookup lookup = new Lookup(request.method(), segments);
        lookup.search(root, 0);
        if (lookup.match != null) {
            return lookup.match.handler().handle(request.withPathParams(lookup.match.params()));
        }
        if (lookup.allowed.isEmpty()) {
            throw new HttpException(Status.NOT_FOUND_404, "Not found");
        }
        Set<Method> allowed = withImplied(lookup.allowed);
        if (request.method() == Method.OPTIONS) {
            return Response.of(Status.NO_CONTENT_204).header("Allow", allowHeader(allowed));
        }
        throw new HttpException(Status.METHOD_NOT_ALLOWED_405, "Method not allowed")
                .withHeader("Allow", allowHeader(allowed));
    }

    /** Looks up a method and path without calling the handler; null when nothing matches. */
    public RouteMatch find(Method method, String path) {
        Lookup lookup = new Lookup(method, segmentsOf(path));
        lookup.search(root, 0);
        return lookup.match;
    }

    /** The decoded segments of a raw path: "/a/b%20c" gives [a, b c]; "/" gives []. */
    private static List<String> segmentsOf(String rawPath) {
        List<String> segments = new ArrayList<>();
        if (rawPath.length() <= 1) {
            return segments;
        }
        int start = 1;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            segments.add(PercentCodec.decodePath(rawPath.substring(start, end)));
            if (slash < 0) {
                return segments;
            }
            start = slash + 1;
        }
    }

    private static Set<Method> withImplied(Set<Method> methods) {
        Set<Method> all = EnumSet.copyOf(methods);
        if (all.contains(Method.GET)) {
            all.add(Method.HEAD);
        }
        all.add(Method.OPTIONS);
        return all;
    }

    private static String allowHeader(Set<Method> methods) {
        StringJoiner joiner = new StringJoiner(", ");
        for (Method m : withImplied(methods.isEmpty() ? EnumSet.of(Method.OPTIONS) : methods)) {
            joiner.add(m.name());
        }
        return joiner.toString();
    }

    private record Route(PathPattern pattern, List<String> paramNames, Handler handler) {
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        Node rest;
        final Map<Method, Route> routes = new EnumMap<>(Method.class);
    }

    /** One depth-first search, most specific branch first, remembering which methods the path allows. */
    private static final class Lookup {
        private final Method method;
        private final List<String> segments;
        private final List<String> captured = new ArrayList<>(4);
        /** Methods routed for this path; filled only while no route has matched (for 405 and OPTIONS). */
        private Set<Method> allowed = Set.of(); // made only when a path matches with another method
        private RouteMatch match;

        Lookup(Method method, List<String> segments) {
            this.method = method;
            this.segments = segments;
        }

        boolean search(Node node, int index) {
            if (index == segments.size()) {
                if (accept(node)) {
                    return true;
                }
            } else {
                Node literal = node.literals.get(segments.get(index));
                if (literal != null && search(literal, index + 1)) {
                    return true;
                }
                if (node.param != null) {
                    captured.add(segments.get(index));
                    if (search(node.param, index + 1)) {
                        return true;
                    }
                    captured.remove(captured.size() - 1);
                }
            }
            if (node.rest != null) {
                captured.add(String.join("/", segments.subList(index, segments.size())));
                if (accept(node.rest)) {
                    return true;
                }
                captured.remove(captured.size() - 1);
            }
            return false;
        }

        private boolean accept(Node node) {
            if (node.routes.isEmpty()) {
                return false;
            }
            Route route = node.routes.get(method);
            if (route == null && method == Method.HEAD) {
                route = node.routes.get(Method.GET);
            }
            if (route == null) {
                if (allowed.isEmpty()) {
                    allowed = EnumSet.noneOf(Method.class);
                }
                allowed.addAll(node.routes.keySet());
                return false;
            }
            match = new RouteMatch(route.handler(), route.paramNames().isEmpty() ? Map.of() : params(route));
            return true;
        }

        private Map<String, String> params(Route route) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < route.paramNames().size(); i++) {
                params.put(route.paramNames().get(i), captured.get(i));
            }
            return Collections.unmodifiableMap(params);
        }
    }
}
