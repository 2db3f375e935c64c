package io.jhttpd.server;

import io.jhttpd.Limits;
import io.jhttpd.ServerListener;
import io.jhttpd.wire.BufferPool;

/**
 * What every connection of one server shares: read-only after start, apart from the registry, the
 * idle parking, the buffer pools and the scheduling, which are safe to share.
 *
 * @param hotGapNanos a connection whose next request came sooner than this after it parked waits for
 *                    the following one on its thread instead of parking again (one watchdog tick)
 */
record ServerContext(Limits limits, Dispatcher dispatcher, String serverName,
                     ConnectionRegistry registry, ServerListener listener, IdleParking parking,
                     BufferPool readBuffers, BufferPool writeBuffers, Scheduling scheduling,
                     long hotGapNanos) {
}
