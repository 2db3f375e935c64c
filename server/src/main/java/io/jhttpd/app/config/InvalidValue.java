package io.jhttpd.app.config;

/**
 * Thrown by a {@link ValueParser}: {@code problem} completes a sentence that starts with the setting's
 * name, such as "must be a number from 0 to 65535". {@link Setting#parse} adds which setting, where
 * the value came from and the value itself.
 */
public final class InvalidValue extends Exception {

    public InvalidValue(String problem) {
        super(problem, null, false, false);
    }

    /** What the value should have been, e.g. "must be a number from 0 to 65535". */
    public String problem() {
        return getMessage();
    }
}
