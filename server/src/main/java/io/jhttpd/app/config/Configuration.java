package io.jhttpd.app.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings in force, each taken from the first place that gives it: a command-line flag, then an
 * environment variable, then the config file (named by {@code --config FILE} or {@code JHTTPD_CONFIG}),
 * then its default. Every value given anywhere is checked here, overridden or not, so a server never
 * starts with a bad value lurking in its file; {@link #describe()}
 * is what {@code --print-config} prints.
 *
 * <pre>{@code
 * Configuration c = Configuration.resolve(SETTINGS, Path.of(""), System.getenv(), List.of("--port", "9000"));
 * int port = c.get(PORT);          // 9000
 * Source from = c.source(PORT);    // Source.Flag
 * }</pre>
 */
public final class Configuration {

    /** The flag (and, as {@code JHTTPD_CONFIG}, the variable) that names the config file. */
    public static final String CONFIG_FLAG = "--config";
    public static final String CONFIG_VARIABLE = "JHTTPD_CONFIG";

    private final List<Setting<?>> settings;
    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, Source> sources;
    private final Path configFile;
    private final List<String> warnings;

    private Configuration(List<Setting<?>> settings, Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources,
                          Path configFile, List<String> warnings) {
        this.settings = settings;
        this.values = values;
        this.sources = sources;
        this.configFile = configFile;
        this.warnings = warnings;
    }

    /**
     * Resolves every one of {@code settings}.
     *
     * @param workingDir  where defaults that depend on a directory look
     * @param environment the process environment; variables starting {@code JHTTPD_} that name no
     *                    setting are reported in {@link #warnings()}; an empty variable counts as unset
     * @param flags       the command line's flags ({@code --name value}, {@code --name=value}, a switch bare)
     * @throws UsageException for an unknown flag or config-file name, a flag given twice or without its
     *                        value, a file that cannot be read, or any bad value
     */
    public static Configuration resolve(List<Setting<?>> settings, Path workingDir, Map<String, String> environment,
                                        List<String> flags) throws UsageException {
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (Setting<?> setting : settings) {
            byName.put(setting.name(), setting);
        }
        Map<Setting<?>, String> fromFlags = new HashMap<>();
        String configFlag = readFlags(byName, flags, fromFlags);

        List<String> warnings = new ArrayList<>();
        Map<Setting<?>, String> fromEnvironment = new HashMap<>();
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith("JHTTPD_") || name.equals(CONFIG_VARIABLE) || variable.getValue().isEmpty()) {
                continue;
            }
            Setting<?> setting = settings.stream()
                    .filter(s -> !s.hidden() && s.environmentVariable().equals(name)).findFirst().orElse(null);
            if (setting == null) {
                warnings.add("ignoring environment variable " + name + ": no such setting");
            } else {
                fromEnvironment.put(setting, variable.getValue());
            }
        }

        String configName = configFlag != null ? configFlag : nonEmpty(environment.get(CONFIG_VARIABLE));
        Path configFile = configName == null ? null : Path.of(configName);
        Map<Setting<?>, ConfigFile.Entry> fromFile = configFile == null ? Map.of() : readFile(byName, configFile);

        Map<Setting<?>, Object> values = new HashMap<>();
        Map<Setting<?>, Source> sources = new HashMap<>();
        for (Setting<?> setting : settings) {
            resolveOne(setting, workingDir, fromFlags, fromEnvironment, fromFile, configFile, values, sources);
        }
        return new Configuration(List.copyOf(settings), values, sources, configFile, List.copyOf(warnings));
    }

    private static <T> void resolveOne(Setting<T> setting, Path workingDir, Map<Setting<?>, String> fromFlags,
                                       Map<Setting<?>, String> fromEnvironment,
                                       Map<Setting<?>, ConfigFile.Entry> fromFile, Path configFile,
                                       Map<Setting<?>, Object> values, Map<Setting<?>, Source> sources)
            throws UsageException {
        // Lowest precedence first, each given value parsed even when a higher one overrides it: a bad
        // line in the file is reported now, not on the day the flag that hides it is dropped.
        Source source = new Source.Default();
        T value = setting.defaultValue().apply(workingDir);
        if (fromFile.containsKey(setting)) {
            ConfigFile.Entry entry = fromFile.get(setting);
            source = new Source.ConfigFile(configFile, entry.line());
            value = setting.parse(entry.value(), source);
        }
        if (fromEnvironment.containsKey(setting)) {
            source = new Source.Environment(setting.environmentVariable());
            value = setting.parse(fromEnvironment.get(setting), source);
        }
        if (fromFlags.containsKey(setting)) {
            source = new Source.Flag();
            value = setting.parse(fromFlags.get(setting), source);
        }
        values.put(setting, value);
        sources.put(setting, source);
    }

    /** Fills {@code out} from the flags; returns the value of {@code --config}, or null. */
    private static String readFlags(Map<String, Setting<?>> byName, List<String> flags, Map<Setting<?>, String> out)
            throws UsageException {
        String configFile = null;
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i);
            String value = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (!flag.startsWith("--")) {
                throw new UsageException("unexpected argument '" + Setting.printable(flag) + "'");
            }
            Setting<?> setting = byName.get(flag.substring(2));
            boolean isConfig = flag.equals(CONFIG_FLAG);
            if (setting == null && !isConfig) {
                throw new UsageException("unknown option " + Setting.printable(flag));
            }
            if (isConfig ? configFile != null : out.containsKey(setting)) {
                throw new UsageException(flag + " given twice");
            }
            if (setting != null && setting.isSwitch()) {
                if (value != null) {
                    throw new UsageException(flag + " takes no value");
                }
                out.put(setting, "true");
                continue;
            }
            if (value == null) {
                if (i + 1 >= flags.size()) {
                    throw new UsageException(flag + " needs a value");
                }
                value = flags.get(++i);
            }
            if (isConfig) {
                configFile = value;
            } else {
                out.put(setting, value);
            }
        }
        return configFile;
    }

    private static Map<Setting<?>, ConfigFile.Entry> readFile(Map<String, Setting<?>> byName, Path file)
            throws UsageException {
        Map<Setting<?>, ConfigFile.Entry> entries = new HashMap<>();
        for (ConfigFile.Entry entry : ConfigFile.read(file)) {
            Setting<?> setting = byName.get(entry.name());
            if (setting == null || setting.hidden()) {
                List<String> known = byName.values().stream().filter(s -> !s.hidden()).map(Setting::name).toList();
                throw new UsageException(file + ":" + entry.line() + ": unknown setting '"
                        + Setting.printable(entry.name()) + "'; the settings are " + String.join(", ", known));
            }
            ConfigFile.Entry earlier = entries.put(setting, entry);
            if (earlier != null) {
                throw new UsageException(file + ":" + entry.line() + ": " + entry.name()
                        + " given twice (first on line " + earlier.line() + ")");
            }
        }
        return entries;
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The value in force. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!sources.containsKey(setting)) {
            throw new IllegalArgumentException("not a setting of this configuration: " + setting.name());
        }
        return (T) values.get(setting);
    }

    /** Where the value in force came from. */
    public Source source(Setting<?> setting) {
        return sources.get(setting);
    }

    /** The config file read, or null. */
    public Path configFile() {
        return configFile;
    }

    /** What was ignored, one line each, for stderr. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The settings in force in the config file's own format, each with where it came from; a setting
     * without a value is commented out. Secret values are shown as their {@link Setting#display()} makes
     * them (a store URL without its password).
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("# jhttpd settings in force; config file: ").append(configFile == null ? "none" : configFile)
                .append("\n# precedence: flag > environment > config file > default\n");
        int width = settings.stream().filter(s -> !s.hidden()).mapToInt(s -> s.name().length()).max().orElse(0) + 2;
        for (Setting<?> setting : settings) {
            if (setting.hidden()) {
                continue;
            }
            Object value = values.get(setting);
            String line = pad((value == null ? "# " : "") + setting.name(), width) + " = " + show(setting);
            out.append(pad(line, width + 36)).append(" # ").append(sources.get(setting)).append('\n');
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private <T> String show(Setting<T> setting) {
        return setting.show((T) values.get(setting));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
