/**
 * The front door of jhttpd: {@link io.jhttpd.HttpServer} binds a port and serves a
 * {@link io.jhttpd.http.Handler}, configured by {@link io.jhttpd.ServerConfig} and {@link io.jhttpd.Limits}.
 * A request's path starts here at {@code start()} and continues in {@code io.jhttpd.server}, which accepts
 * connections.
 */
package io.jhttpd;
