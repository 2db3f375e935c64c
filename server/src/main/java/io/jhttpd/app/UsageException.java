package io.jhttpd.app;

/** A command line that cannot be run: the message says what is wrong, for a human. Exit code 2. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
