package io.jhttpd.app.config;

/** Turns a setting's text into its value, or says what is allowed. */
@FunctionalInterface
public interface ValueParser<T> {

    T parse(String text) throws InvalidValue;
}
