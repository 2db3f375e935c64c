package io.jhttpd.wire;

import java.io.IOException;

/**
 * Sets how long the next read of a connection may block. The server implements it with the socket's
 * {@code SO_TIMEOUT}; a read that times out throws {@link java.net.SocketTimeoutException}.
 * Tests that feed bytes from memory use {@link #NONE}.
 */
@FunctionalInterface
public interface ReadTimeouts {

    void setReadTimeout(long millis) throws IOException;

    ReadTimeouts NONE = millis -> { };
}
