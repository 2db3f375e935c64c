/**
 * Choosing a handler: {@code Router} matches method and path patterns ({@code {id}}, {@code {rest...}}),
 * answering 404, 405 with {@code Allow}, and {@code OPTIONS} itself. It runs after the filters and
 * before the application's handlers.
 */
package io.jhttpd.routing;
