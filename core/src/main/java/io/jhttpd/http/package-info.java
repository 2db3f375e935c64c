/**
 * What handler authors import, with no I/O of its own: {@code Request}, {@code Response}, {@code Handler},
 * {@code Filter}, {@code HttpException} and the protocol vocabulary ({@code Status}, {@code Method},
 * {@code Version}, {@code Headers}). The wire layer builds requests before this; routing and filters use it after.
 */
package io.jhttpd.http;
