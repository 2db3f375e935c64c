package io.jhttpd.wire;

import java.io.IOException;

/**
 * What the reader of a connection asks of its socket besides bytes: how long the next reads may
 * block (a read that times out throws {@link java.net.SocketTimeoutException}; the server enforces it
 * with a watchdog that ends reads past their deadline, see {@code io.jhttpd.server.DeadlineInputStream}),
 * and an acknowledgement of what has arrived, sent now. Tests that feed bytes from memory use
 * {@link #NONE}.
 */
@FunctionalInterface
public interface ReadControl {

    void setReadTimeout(long millis) throws IOException;

    /**
     * Called before a read that waits for the rest of a request head or body: acknowledges at once
     * what has arrived (TCP quick ACK where the platform has it). A client whose Nagle algorithm holds
     * its next small write (the rest of a head written in pieces, the body after the head, the next
     * chunk) until its last one is acknowledged would otherwise wait for the server's delayed
     * acknowledgement, 40 ms on Linux, on every such request. Does nothing by default.
     */
    default void acknowledgeNow() {
    }

    ReadControl NONE = millis -> { };
}
