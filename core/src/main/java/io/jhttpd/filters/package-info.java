/**
 * Filters that wrap the application's handler: {@link io.jhttpd.filters.AccessLogFilter} (outermost),
 * {@link io.jhttpd.filters.CorsFilter} and {@link io.jhttpd.filters.GzipFilter}, composed with
 * {@code Filter.chain(router, accessLog, cors, gzip)}. The connection hands them the parsed request
 * and the router (or any handler) answers inside them; on the way out they adjust the response
 * before the writer frames it.
 */
package io.jhttpd.filters;
