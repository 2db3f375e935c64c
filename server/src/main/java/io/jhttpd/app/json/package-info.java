/**
 * JSON for the app: {@code Json}, the one configured ObjectMapper with its 400-on-hostile-input reader,
 * and {@code JsonErrors}, the error handler that renders every error as a JSON body.
 * Requests reach here from the resource classes in {@code io.jhttpd.app.api}; the core writes what they return.
 */
package io.jhttpd.app.json;
