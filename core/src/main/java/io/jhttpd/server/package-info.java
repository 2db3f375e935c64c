/**
 * Sockets and threads: the {@code Acceptor} takes connections and starts a virtual thread per
 * {@code Connection}, which loops read head, frame body, dispatch, write, keep alive or close; a
 * connection that goes quiet parks in {@code IdleParking} without a thread until its next bytes.
 * Before it comes {@code io.jhttpd.HttpServer}; the bytes themselves are parsed and written by
 * {@code io.jhttpd.wire}, and handlers see only {@code io.jhttpd.http}.
 */
package io.jhttpd.server;
