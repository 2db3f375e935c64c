/**
 * Small programs that embed the jhttpd library, one {@code main} each, taking the port as their first
 * argument (0 picks a free one). Each has a {@code start} method returning the running
 * {@link io.jhttpd.HttpServer}, which the tests call before making real HTTP requests.
 */
package io.jhttpd.examples;
