package io.jhttpd.app.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional {@code --config FILE}: one {@code name = value} per line, names as the flags without their
 * dashes; UTF-8. A {@code #} at the start of a line, or after a space or tab, starts a comment that runs
 * to the end of the line (so what {@code --print-config} prints reads back). Blank lines are ignored;
 * whitespace around the name and the value is dropped.
 *
 * <pre>
 * # /etc/jhttpd.conf
 * port = 9000
 * store = sqlite:/var/lib/jhttpd/data.db
 * quiet = true   # no access log
 * </pre>
 */
public final class ConfigFile {

    /** One {@code name = value} line. */
    public record Entry(String name, String value, int line) {
    }

    private ConfigFile() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws UsageException when it cannot be read, or a line is not {@code name = value}
     */
    public static List<Entry> read(Path file) throws UsageException {
        String name = Setting.printable(file.toString()); // a path may hold control characters
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("config file " + name + " does not exist");
        } catch (CharacterCodingException e) {
            throw new UsageException("config file " + name + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException("cannot read config file " + name + ": " + e.getMessage());
        }
        return parse(file, text);
    }

    static List<Entry> parse(Path file, String text) throws UsageException {
        List<Entry> entries = new ArrayList<>();
        // A byte order mark, as some Windows editors write one at the start of UTF-8 text, is no part of a name.
        List<String> lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = withoutComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? "" : line.substring(0, eq).strip();
            if (name.isEmpty()) {
                throw new UsageException(file + ":" + (i + 1) + ": expected 'name = value', not '"
                        + Setting.printable(line) + "'");
            }
            entries.add(new Entry(name, line.substring(eq + 1).strip(), i + 1));
        }
        return entries;
    }

    /** The line up to a {@code #} that starts it or follows a space or tab. */
    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t')) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
