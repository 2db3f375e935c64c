package io.jhttpd.filters;

import io.jhttpd.http.Filter;
import io.jhttpd.http.Handler;
import io.jhttpd.http.HttpException;
import io.jhttpd.http.Method;
import io.jhttpd.http.Request;
import io.jhttpd.http.Response;
import io.jhttpd.http.ResponseHeaders;
import io.jhttpd.http.Status;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for one allowed origin, or
 * {@code *} for any.
 *
 * <p>A preflight, {@code OPTIONS} with {@code Access-Control-Request-Method}, is answered here with
 * 204 and {@code Access-Control-Allow-Origin}, {@code -Allow-Methods}, {@code -Allow-Headers} and
 * {@code -Max-Age}; the next handler is not called. Every other response, errors included, gets
 * {@code Access-Control-Allow-Origin}, and, when the handler or a filter inside this one set a field
 * a page's script could not read otherwise ({@code Location}, {@code ETag}, {@code Content-Range},
 * {@code Allow}: anything but the CORS-safelisted fields and {@code Vary}),
 * {@code Access-Control-Expose-Headers: *} (the wildcard holds for requests without credentials, the
 * only ones this filter allows), which then also exposes the {@code Date} and {@code Server} the
 * server adds when writing. The decision rests on the response alone, never on the request, so caches
 * need no {@code Vary} for it, and a plain response is not made longer. For an {@link HttpException}
 * the headers are put on the exception (which is rethrown) so the error handler's response carries
 * them. With a specific origin,
 * the header is sent only when the request's {@code Origin} equals it, and every response gets
 * {@code Vary: Origin} (RFC 9110 §12.5.5), since it depends on that field. An exception other than
 * HttpException (a 500) passes through untouched. Credentials are not supported.
 *
 * <pre>{@code
 * Filter cors = new CorsFilter("https://app.example").withMaxAge(Duration.ofHours(1))
 *         .withAllowedHeaders("Content-Type", "Authorization");
 * }</pre>
 */
public final class CorsFilter implements Filter {

    private static final String DEFAULT_METHODS = "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS";
    private static final String DEFAULT_HEADERS = "Content-Type, Authorization, Accept, Origin, X-Requested-With";

    private final String allowedOrigin;
    private final String allowedMethods;
    private final String allowedHeaders;
    private final long maxAgeSeconds;
    private final boolean echoRequestHeaders;

    /**
     * Allows {@code allowedOrigin}, with the default methods ({@code GET, HEAD, POST, PUT, DELETE,
     * PATCH, OPTIONS}), request headers ({@code Content-Type, Authorization, Accept, Origin,
     * X-Requested-With}) and a preflight max age of one day.
     *
     * @param allowedOrigin {@code *}, or one serialized origin such as {@code https://app.example}
     * @throws IllegalArgumentException when it is neither ({@link #isAllowedOrigin})
     */
    public CorsFilter(String allowedOrigin) {
        this(checkOrigin(allowedOrigin), DEFAULT_METHODS, DEFAULT_HEADERS, Duration.ofDays(1).toSeconds(), false);
    }

    private CorsFilter(String allowedOrigin, String allowedMethods, String allowedHeaders, long maxAgeSeconds,
                       boolean echoRequestHeaders) {
        this.allowedOrigin = allowedOrigin;
        this.allowedMethods = allowedMethods;
        this.allowedHeaders = allowedHeaders;
        this.maxAgeSeconds = maxAgeSeconds;
        this.echoRequestHeaders = echoRequestHeaders;
    }

    /** The methods a preflight allows, replacing the default list. */
    public CorsFilter withAllowedMethods(Method... methods) {
        StringBuilder list = new StringBuilder();
        for (Method method : methods) {
            list.append(list.isEmpty() ? "" : ", ").append(method.name());
        }
        return new CorsFilter(allowedOrigin, list.toString(), allowedHeaders, maxAgeSeconds, echoRequestHeaders);
    }

    /** The request header names a preflight allows, replacing the default list. */
    public CorsFilter withAllowedHeaders(String... names) {
        for (String name : names) {
            if (!isToken(name)) {
                throw new IllegalArgumentException("not a header field name: " + name);
            }
        }
        return new CorsFilter(allowedOrigin, allowedMethods, String.join(", ", names), maxAgeSeconds,
                echoRequestHeaders);
    }

    /**
     * Allow whatever header names a preflight asks for in {@code Access-Control-Request-Headers}, when
     * each is a valid token (otherwise the configured list is sent).
     */
    public CorsFilter withRequestHeadersEchoed() {
        return new CorsFilter(allowedOrigin, allowedMethods, allowedHeaders, maxAgeSeconds, true);
    }

    /** How long a browser may cache a preflight's answer; whole seconds are sent. */
    public CorsFilter withMaxAge(Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("negative max age");
        }
        return new CorsFilter(allowedOrigin, allowedMethods, allowedHeaders, maxAge.toSeconds(), echoRequestHeaders);
    }

    @Override
    public Response apply(Request request, Handler next) throws Exception {
        String origin = allowOriginFor(request);
        if (request.method() == Method.OPTIONS && request.header("Access-Control-Request-Method") != null) {
            return preflight(request, origin);
        }
        Response response;
        try {
            response = next.handle(request);
        } catch (HttpException e) {
            throw withCorsHeaders(e, origin);
        } catch (Exception e) {
            // A failure becomes the 500 it would become anyway (the server logs it with its cause),
            // but one that carries the header too.
            throw withCorsHeaders(new HttpException(Status.INTERNAL_SERVER_ERROR_500, "Internal server error", e),
                    origin);
        }
        decorate(response.headers(), origin);
        return response;
    }

    /** Without the header the browser hides the error's status and body from the page. */
    private HttpException withCorsHeaders(HttpException e, String origin) {
        decorate(e.headers(), origin);
        return e;
    }

    private Response preflight(Request request, String origin) {
        Response response = Response.of(Status.NO_CONTENT_204);
        ResponseHeaders headers = response.headers();
        varyOnOrigin(headers);
        if (origin == null) {
            return response; // not an origin we serve: the browser fails the preflight
        }
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Methods", allowedMethods);
        headers.set("Access-Control-Allow-Headers", headersToAllow(request, headers));
        headers.set("Access-Control-Max-Age", Long.toString(maxAgeSeconds));
        return response;
    }

    private void decorate(ResponseHeaders headers, String origin) {
        if (origin != null) {
            headers.set("Access-Control-Allow-Origin", origin);
            if (carriesFieldToExpose(headers)) {
                headers.set("Access-Control-Expose-Headers", "*");
            }
        }
        varyOnOrigin(headers);
    }

    /** Whether a field is there that a script may not read without being exposed. */
    private static boolean carriesFieldToExpose(ResponseHeaders headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!readableWithoutExposing(headers.name(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The CORS-safelisted response fields (Fetch standard), {@code Vary} (of no use to a script) and the
     * CORS fields themselves. Compared by length first: a response has a handful of fields.
     */
    private static boolean readableWithoutExposing(String name) {
        return switch (name.length()) {
            case 4 -> name.equalsIgnoreCase("Vary");
            case 6 -> name.equalsIgnoreCase("Pragma");
            case 7 -> name.equalsIgnoreCase("Expires");
            case 12 -> name.equalsIgnoreCase("Content-Type");
            case 13 -> name.equalsIgnoreCase("Cache-Control") || name.equalsIgnoreCase("Last-Modified");
            case 14 -> name.equalsIgnoreCase("Content-Length");
            case 16 -> name.equalsIgnoreCase("Content-Language");
            default -> name.regionMatches(true, 0, "Access-Control-", 0, 15);
        };
    }

    private void varyOnOrigin(ResponseHeaders headers) {
        if (!isWildcard()) {
            VaryHeader.add(headers, "Origin");
        }
    }

    /**
     * The {@code Access-Control-Allow-Origin} value for a response to {@code request}: {@code *}, or the
     * allowed origin when the request comes from it, else null. For a request the server could not parse
     * (null), whose Origin is unknown, the allowed origin (the browser compares it with its own): so an
     * error handler answers as this filter would.
     */
    public String allowOriginFor(Request request) {
        if (isWildcard() || request == null) {
            return allowedOrigin;
        }
        String origin = request.header("Origin");
        // Origins are serialized in lower case (RFC 6454 §6.2); compare leniently on case only.
        return origin != null && origin.equalsIgnoreCase(allowedOrigin) ? allowedOrigin : null;
    }

    private String headersToAllow(Request request, ResponseHeaders response) {
        if (!echoRequestHeaders) {
            return allowedHeaders;
        }
        VaryHeader.add(response, "Access-Control-Request-Headers");
        List<String> asked = request.headers().listElements("Access-Control-Request-Headers");
        if (asked.isEmpty()) {
            return allowedHeaders;
        }
        for (String name : asked) {
            if (!isToken(name)) {
                return allowedHeaders;
            }
        }
        return String.join(", ", asked);
    }

    /** Whether responses depend on the request's {@code Origin} (one allowed origin, not {@code *}): {@code Vary: Origin}. */
    public boolean variesByOrigin() {
        return !isWildcard();
    }

    private boolean isWildcard() {
        return allowedOrigin.equals("*");
    }

    private static String checkOrigin(String origin) {
        if (!isAllowedOrigin(origin)) {
            throw new IllegalArgumentException("allowed origin must be * or one origin such as https://app.example");
        }
        return origin;
    }

    /**
     * Whether {@code value} can be the allowed origin: {@code *}, or one origin serialized as a browser
     * sends it in {@code Origin} (RFC 6454 §6.2), since a browser compares the allowed origin with its
     * own byte for byte: a scheme, {@code ://}, a host (a name, an IPv4 address or a bracketed IPv6
     * one), in lower case, and a port from 1 to 65535 without leading zeros, left out when it is the
     * scheme's default (80 for http, 443 for https); no path, not even {@code /}, no query, fragment or
     * user. Not {@code null}, the origin every sandboxed page and {@code data:} document shares.
     */
    public static boolean isAllowedOrigin(String value) {
        if (value.equals("*")) {
            return true;
        }
        int separator = value.indexOf("://");
        String scheme = separator <= 0 ? "" : value.substring(0, separator);
        if (!isScheme(scheme)) {
            return false;
        }
        String authority = value.substring(separator + 3);
        // The port's colon: after the bracket of an IPv6 address, else the last one.
        int hostEnd = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.lastIndexOf(':');
        if (hostEnd < 0 || hostEnd == authority.length()) {
            return isHost(authority); // no port
        }
        String port = authority.substring(hostEnd + 1);
        boolean defaultPort = scheme.equals("http") && port.equals("80")
                || scheme.equals("https") && port.equals("443");
        return isHost(authority.substring(0, hostEnd)) && authority.charAt(hostEnd) == ':' && isPort(port)
                && !defaultPort;
    }

    private static boolean isScheme(String scheme) {
        if (scheme.isEmpty()) {
            return false;
        }
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            boolean letter = c >= 'a' && c <= 'z';
            if (!letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHost(String host) {
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String name = bracketed ? host.substring(1, host.length() - 1) : host;
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = c >= '0' && c <= '9' || c >= 'a' && c <= 'z';
            boolean allowed = bracketed ? alnum && Character.digit(c, 16) >= 0 || c == ':' || c == '.'
                    : alnum || c == '-' || c == '.' || c == '_';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5 || port.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(port) <= 65_535;
    }

    /** token, RFC 9110 §5.6.2. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
