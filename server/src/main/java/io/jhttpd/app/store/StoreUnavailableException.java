package io.jhttpd.app.store;

/**
 * The store cannot do what was asked right now: its database is down, unreachable, out of space, or
 * did not answer within the store's timeouts. The write was not acknowledged (it may or may not have
 * happened when the failure was on the commit's reply). {@code DataRoutes} turns it into 503, and the
 * message (never the driver's text, which may quote SQL) is fixed here.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
