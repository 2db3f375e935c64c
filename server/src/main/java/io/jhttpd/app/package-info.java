/**
 * The runnable server: {@code Main} (command line and exit codes), {@code Options} (flag parsing) and
 * {@code App} (routes and filters wired into an {@code HttpServer}).
 * Requests go from the core's connection loop into the handler built here, then to {@code io.jhttpd.app.api}.
 */
package io.jhttpd.app;
