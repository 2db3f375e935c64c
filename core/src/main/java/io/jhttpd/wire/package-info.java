/**
 * Bytes to messages and back, with no sockets: the head scanner and parser, body framing (fixed and
 * chunked), and the response writer, over one reused buffer per connection. The connection loop in
 * {@code io.jhttpd.server} drives it; what it produces is handed to handlers as {@code io.jhttpd.http} types.
 */
package io.jhttpd.wire;
