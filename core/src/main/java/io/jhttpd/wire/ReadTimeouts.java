package io.jhttpd.wire;

import java.io.IOException;

/**
 * Sets how long the next reads of a connection may block; a read that times out throws
 * {@link java.net.SocketTimeoutException}. The server enforces it with a watchdog that ends reads past
 * their deadline (see {@code io.jhttpd.server.DeadlineInputStream}). Tests that feed bytes from memory
 * use {@link #NONE}.
 */
@FunctionalInterface
public interface ReadTimeouts {

    void setReadTimeout(long millis) throws IOException;

    ReadTimeouts NONE = millis -> { };
}
