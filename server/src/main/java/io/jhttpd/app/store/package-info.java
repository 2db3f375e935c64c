/**
 * Storage behind {@code /data}: the {@code DataStore} contract, {@code StoreSpec} (what {@code --store}
 * names) and the three stores: in memory, SQLite (group commit) and PostgreSQL (pooled).
 * {@code DataRoutes} calls a store after validating the request; nothing here knows about HTTP.
 */
package io.jhttpd.app.store;
