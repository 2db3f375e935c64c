package io.jhttpd.http;

/**
 * The request methods jhttpd implements (RFC 9110 §9, RFC 5789 for PATCH).
 *
 * <p>Methods are case-sensitive tokens: {@code get} is not {@code GET}. A request whose method is not
 * one of these never reaches a handler: it is answered 501 (RFC 9110 §9.1). {@code CONNECT} is parsed
 * only to be answered 501 as well, since jhttpd is not a proxy.
 */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT;

    /** The longest method name above; a longer token is answered 501 without reading further. */
    public static final int MAX_LENGTH = 7;
}
