package io.jhttpd.app.config;

import java.nio.file.Path;

/** Where a setting's value came from. The order of precedence: flag, environment, config file, default. */
public sealed interface Source {

    /** How an error message names the setting as the user gave it: {@code --port}, {@code JHTTPD_PORT}. */
    String name(Setting<?> setting);

    /** A command-line flag. */
    record Flag() implements Source {
        @Override
        public String name(Setting<?> setting) {
            return setting.flag();
        }

        @Override
        public String toString() {
            return "flag";
        }
    }

    /** An environment variable. */
    record Environment(String variable) implements Source {
        @Override
        public String name(Setting<?> setting) {
            return variable;
        }

        @Override
        public String toString() {
            return "env " + variable;
        }
    }

    /** A line of the {@code --config} file. */
    record ConfigFile(Path file, int line) implements Source {
        @Override
        public String name(Setting<?> setting) {
            return setting.name() + " (" + this + ")";
        }

        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** Nothing was given. */
    record Default() implements Source {
        @Override
        public String name(Setting<?> setting) {
            return setting.name();
        }

        @Override
        public String toString() {
            return "default";
        }
    }
}
