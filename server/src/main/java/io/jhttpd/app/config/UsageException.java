package io.jhttpd.app.config;

/**
 * A configuration that cannot be run: an unknown flag, a bad value in a flag, an environment variable or
 * the config file, or a file that cannot be read. The message says what is wrong, for a human. Exit code 2.
 */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
