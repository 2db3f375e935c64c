/**
 * Static files: {@link io.jhttpd.files.StaticFiles} is a handler that serves a directory with
 * validators, conditional requests and single byte ranges, guarded by {@link io.jhttpd.files.SafePath}.
 * The router hands it the decoded rest of the path; its response, usually a sendfile
 * {@code FileRegion}, goes back out through the filters (gzip, CORS, access log) to the writer.
 */
package io.jhttpd.files;
