package io.jhttpd.server;

import io.jhttpd.Limits;
import io.jhttpd.ServerListener;
import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Handler;

/** What every connection of one server shares: read-only after start, apart from the registry. */
record ServerContext(Limits limits, Handler handler, ErrorHandler errorHandler, String serverName,
                     ConnectionRegistry registry, ServerListener listener) {
}
