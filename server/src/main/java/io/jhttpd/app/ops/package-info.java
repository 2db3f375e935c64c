/**
 * What operators look at: {@link io.jhttpd.app.ops.Metrics} (Prometheus text at {@code /metrics}, fed by
 * the core's {@code ServerListener}), {@link io.jhttpd.app.ops.Readiness} ({@code /ready}), the routes
 * that serve them ({@link io.jhttpd.app.ops.OpsRoutes}, {@code /health} too) and their settings
 * ({@link io.jhttpd.app.ops.OpsSettings}). {@code App} mounts the routes on the API's port or on an
 * admin port of their own; nothing here is on a request's path through the API except the listener.
 */
package io.jhttpd.app.ops;
