package io.jhttpd.app.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting of the server, given as a flag ({@code --max-body 10MB}), an environment variable
 * ({@code JHTTPD_MAX_BODY=10MB}) or a line of the config file ({@code max-body = 10MB}); all three names
 * come from {@link #name()}. A switch ({@code --quiet}) takes no value as a flag and {@code true} or
 * {@code false} elsewhere.
 *
 * <pre>{@code
 * Setting<Integer> port = Setting.value("port", "N", "port to listen on", Values::port, dir -> 8080);
 * int p = port.parse("9000", new Source.Flag());
 * }</pre>
 *
 * @param name         the setting's name, lower case with dashes
 * @param valueHint    how the usage shows its value ({@code N}, {@code DIR}); null for a switch
 * @param help         the usage text; further lines are indented under the first
 * @param parser       text to value
 * @param defaultValue the value when nothing is given (may depend on the working directory; may be null)
 * @param display      how {@code --print-config} shows a value
 * @param secret       the value may hold a secret: a message never repeats it
 * @param hidden       not in the usage, nor settable from the environment or the file
 */
public record Setting<T>(String name, String valueHint, String help, ValueParser<T> parser,
                         Function<Path, T> defaultValue, Function<T, String> display, boolean secret,
                         boolean hidden) {

    private static final String ALLOWED_BOOLEANS = "must be true or false (or yes/no, on/off, 1/0)";

    public Setting {
        Objects.requireNonNull(name);
        Objects.requireNonNull(parser);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(display);
    }

    /** A setting that takes a value. */
    public static <T> Setting<T> value(String name, String valueHint, String help, ValueParser<T> parser,
                                       Function<Path, T> defaultValue) {
        return new Setting<>(name, Objects.requireNonNull(valueHint), help, parser, defaultValue,
                String::valueOf, false, false);
    }

    /** A switch, off by default. */
    public static Setting<Boolean> toggle(String name, String help) {
        return new Setting<>(name, null, help, Setting::bool, dir -> false, String::valueOf, false, false);
    }

    /** The same setting, shown by {@code --print-config} through {@code newDisplay}. */
    public Setting<T> displayedAs(Function<T, String> newDisplay) {
        return new Setting<>(name, valueHint, help, parser, defaultValue, newDisplay, secret, hidden);
    }

    /** The same setting, its value never repeated in a message (it may hold a password). */
    public Setting<T> secretValue() {
        return new Setting<>(name, valueHint, help, parser, defaultValue, display, true, hidden);
    }

    /** The same setting, left out of the usage and settable only by its flag. */
    public Setting<T> hiddenFlag() {
        return new Setting<>(name, valueHint, help, parser, defaultValue, display, secret, true);
    }

    public boolean isSwitch() {
        return valueHint == null;
    }

    public String flag() {
        return "--" + name;
    }

    public String environmentVariable() {
        return "JHTTPD_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Parses {@code text}, given through {@code source}.
     *
     * @throws UsageException naming the setting as it was given, the value (unless secret) and what is allowed
     */
    public T parse(String text, Source source) throws UsageException {
        try {
            if (isSwitch() && source instanceof Source.Flag) {
                return parser.parse("true");
            }
            return parser.parse(text);
        } catch (InvalidValue e) {
            throw new UsageException(source.name(this) + " " + e.problem()
                    + (secret ? "" : ", not '" + printable(text) + "'"));
        }
    }

    /** The value as {@code --print-config} shows it. */
    public String show(T value) {
        return value == null ? "(none)" : display.apply(value);
    }

    /** A switch's value outside the command line: true, false, yes, no, on, off, 1 or 0. */
    static Boolean bool(String text) throws InvalidValue {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new InvalidValue(ALLOWED_BOOLEANS);
        };
    }

    /** Echoes user input into a message without letting control characters reach the terminal. */
    public static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
