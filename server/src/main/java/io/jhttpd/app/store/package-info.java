/**
 * Storage behind {@code /data}: the {@code DataStore} contract and its in-memory implementation.
 * {@code DataRoutes} calls it after validating the request; nothing here knows about HTTP.
 */
package io.jhttpd.app.store;
