package io.jhttpd.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;

/**
 * One parsed request, as a handler sees it: method, target, version, header fields and body.
 *
 * <p>It belongs to the connection's thread and is valid only until the handler returns: the headers
 * are a view over the connection's buffer and the body reads from its socket. {@link #path()} is the
 * path as it was sent (percent-encoded); path parameters from the router are decoded.
 *
 * <pre>{@code
 * String id = request.pathParam("id");
 * String msg = request.queryParam("msg");
 * byte[] json = request.bodyBytes();
 * }</pre>
 */
public final class Request {

    private final Method method;
    private final String path;
    private final String query;
    private final Version version;
    private final Headers headers;
    private final InputStream body;
    private final InetSocketAddress remoteAddress;
    private final Map<String, String> pathParams;
    private QueryParameters queryParameters;

    /**
     * A request as the server builds one from a parsed head; tests and adapters may build their own.
     *
     * @param method        the request method
     * @param path          the absolute path as sent, starting with {@code /} ({@code *} for
     *                      {@code OPTIONS *})
     * @param query         the query without its {@code ?}, or null when the target had none
     * @param version       the protocol version
     * @param headers       the header fields
     * @param body          the decoded body (empty when the request has none); reading past the body
     *                      limit throws an {@link HttpException} 413
     * @param remoteAddress the client's address and port
     */
    public Request(Method method, String path, String query, Version version, Headers headers,
                   InputStream body, InetSocketAddress remoteAddress) {
        this(method, path, query, version, headers, body, remoteAddress, Map.of());
    }

    private Request(Method method, String path, String query, Version version, Headers headers,
                    InputStream body, InetSocketAddress remoteAddress, Map<String, String> pathParams) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.version = version;
        this.headers = headers;
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.pathParams = pathParams;
    }

    /** The same request with the path parameters a route matched; the map is not copied. */
    public Request withPathParams(Map<String, String> params) {
        if (params.isEmpty() && pathParams.isEmpty()) {
            return this;
        }
        return new Request(method, path, query, version, headers, body, remoteAddress,
                Collections.unmodifiableMap(params));
    }

    /**
     * The same request with other header fields, for a filter that reads some of them differently; the
     * path parameters and the body are kept.
     */
    public Request withHeaders(Headers otherHeaders) {
        return new Request(method, path, query, version, otherHeaders, body, remoteAddress, pathParams);
    }

    /** The request method; a {@code HEAD} reaches a {@code GET} route with this still {@code HEAD}. */
    public Method method() {
        return method;
    }

    /** The path as sent, still percent-encoded, without the query. */
    public String path() {
        return path;
    }

    /** The raw query (percent-encoded, without {@code ?}), or null. */
    public String query() {
        return query;
    }

    /** The first value of query parameter {@code name}, decoded, or null when absent. */
    public String queryParam(String name) {
        if (query == null) {
            return null;
        }
        if (queryParameters == null) {
            queryParameters = QueryParameters.parse(query);
        }
        return queryParameters.first(name);
    }

    /** The protocol version of the request. */
    public Version version() {
        return version;
    }

    /** The header fields, valid until the handler returns. */
    public Headers headers() {
        return headers;
    }

    /** The first value of header field {@code name}, or null. */
    public String header(String name) {
        return headers.first(name);
    }

    /** A decoded path parameter captured by the router, or null. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Every decoded path parameter the router captured, by name; empty when there are none. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    /**
     * The body as a stream, already de-chunked. For {@code Expect: 100-continue} requests the first
     * read sends {@code 100 Continue}.
     */
    public InputStream body() {
        return body;
    }

    /**
     * The whole body. The server's body limit bounds it: a larger body throws {@link HttpException}
     * 413 and closes the connection.
     */
    public byte[] bodyBytes() {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses a body sent with a content coding (RFC 9110 §8.4), which jhttpd does not decode. Call it
     * before reading a body whose bytes mean something to the handler; {@code identity} and an empty
     * field are no coding.
     *
     * @throws HttpException 415 with an empty {@code Accept-Encoding}, which says that no coding
     *                       would have been accepted (§15.5.16), when {@code Content-Encoding} names one
     */
    public void requireNoContentCoding() {
        if (!headers.contains("Content-Encoding")) {
            return; // the usual case: decided without making a list
        }
        for (String coding : headers.listElements("Content-Encoding")) {
            if (!coding.equalsIgnoreCase("identity")) {
                throw new HttpException(Status.UNSUPPORTED_MEDIA_TYPE_415, "Content-Encoding is not supported")
                        .withHeader("Accept-Encoding", "");
            }
        }
    }

    /** The address and port of the client's end of the connection. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " " + version;
    }
}
