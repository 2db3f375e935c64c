package io.jhttpd.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Precedence (flag > environment > file > default), and how each source reports a bad value. */
class ConfigurationTest {

    private static final Setting<Integer> PORT = Setting.value("port", "N", "port", Values::port, dir -> 8080);
    private static final Setting<Long> MAX_BODY = Setting.value("max-body", "SIZE", "limit", Values::size,
            dir -> 5L << 20).displayedAs(Values::showSize);
    private static final Setting<String> SECRET = Setting.value("secret", "S", "a secret",
            text -> {
                if (text.length() < 4) {
                    throw new InvalidValue("must be at least 4 characters");
                }
                return text;
            }, dir -> null).secretValue();
    private static final Setting<Boolean> QUIET = Setting.toggle("quiet", "quiet");
    private static final Setting<Boolean> HIDDEN = Setting.toggle("hidden-switch", "").hiddenFlag();
    private static final List<Setting<?>> SETTINGS = List.of(PORT, MAX_BODY, SECRET, QUIET, HIDDEN);

    @TempDir
    Path dir;

    private Configuration resolve(Map<String, String> env, String... flags) throws UsageException {
        return Configuration.resolve(SETTINGS, dir, env, List.of(flags));
    }

    private Path configFile(String text) throws IOException {
        return Files.writeString(dir.resolve("jhttpd.conf"), text, StandardCharsets.UTF_8);
    }

    @Test
    void nothingGivenMeansTheDefaults() throws Exception {
        Configuration c = resolve(Map.of());
        assertThat(c.get(PORT)).isEqualTo(8080);
        assertThat(c.source(PORT)).isEqualTo(new Source.Default());
        assertThat(c.get(QUIET)).isFalse();
        assertThat(c.get(SECRET)).isNull();
        assertThat(c.configFile()).isNull();
    }

    @Test
    void aFlagWinsOverTheEnvironmentAndTheFile() throws Exception {
        Path file = configFile("port = 7000\n");
        Configuration c = resolve(Map.of("JHTTPD_PORT", "7001"), "--config", file.toString(), "--port", "7002");
        assertThat(c.get(PORT)).isEqualTo(7002);
        assertThat(c.source(PORT)).isEqualTo(new Source.Flag());
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws Exception {
        Path file = configFile("port = 7000\n");
        Configuration c = resolve(Map.of("JHTTPD_PORT", "7001"), "--config", file.toString());
        assertThat(c.get(PORT)).isEqualTo(7001);
        assertThat(c.source(PORT)).isEqualTo(new Source.Environment("JHTTPD_PORT"));
    }

    @Test
    void aFileSavedWithAByteOrderMarkAndCrlfLinesReadsTheSame() throws Exception {
        Path file = configFile("\uFEFFport = 7000\r\nmax-body = 1MB\r\n");
        Configuration c = resolve(Map.of(), "--config", file.toString());
        assertThat(c.get(PORT)).isEqualTo(7000);
        assertThat(c.get(MAX_BODY)).isEqualTo(1L << 20);
    }

    @Test
    void theFileWinsOverTheDefault() throws Exception {
        Path file = configFile("# a comment\n\n  max-body =  1MB  # one mebibyte\nport=7000\n");
        Configuration c = resolve(Map.of(), "--config", file.toString());
        assertThat(c.get(PORT)).isEqualTo(7000);
        assertThat(c.source(PORT)).isEqualTo(new Source.ConfigFile(file, 4));
        assertThat(c.get(MAX_BODY)).isEqualTo(1L << 20);
        assertThat(c.source(MAX_BODY)).isEqualTo(new Source.ConfigFile(file, 3));
    }

    @Test
    void eachSettingIsResolvedOnItsOwn() throws Exception {
        Path file = configFile("port = 7000\nmax-body = 1KB\nquiet = yes\n");
        Configuration c = resolve(Map.of("JHTTPD_MAX_BODY", "2KB"), "--config", file.toString(), "--port", "7002");
        assertThat(c.get(PORT)).isEqualTo(7002);
        assertThat(c.get(MAX_BODY)).isEqualTo(2048);
        assertThat(c.get(QUIET)).isTrue();
        assertThat(c.source(QUIET)).isEqualTo(new Source.ConfigFile(file, 3));
    }

    @Test
    void theEnvironmentCanNameTheConfigFileAndTheFlagWinsOverIt() throws Exception {
        Path file = configFile("port = 7000\n");
        Path other = Files.writeString(dir.resolve("other.conf"), "port = 7100\n");
        assertThat(resolve(Map.of("JHTTPD_CONFIG", file.toString())).get(PORT)).isEqualTo(7000);
        Configuration c = resolve(Map.of("JHTTPD_CONFIG", file.toString()), "--config", other.toString());
        assertThat(c.get(PORT)).isEqualTo(7100);
        assertThat(c.configFile()).isEqualTo(other);
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "yes,true", "on,true", "1,true", "false,false", "no,false", "off,false",
            "0,false"})
    void aSwitchTakesTrueOrFalseFromTheEnvironmentAndTheFile(String text, boolean value) throws Exception {
        assertThat(resolve(Map.of("JHTTPD_QUIET", text)).get(QUIET)).isEqualTo(value);
        Path file = configFile("quiet = " + text + "\n");
        assertThat(resolve(Map.of(), "--config", file.toString()).get(QUIET)).isEqualTo(value);
    }

    @Test
    void aSwitchFlagTakesNoValue() {
        assertThatThrownBy(() -> resolve(Map.of(), "--quiet=false")).isInstanceOf(UsageException.class)
                .hasMessage("--quiet takes no value");
    }

    @Test
    void aBadValueNamesTheFlagTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> resolve(Map.of(), "--port", "http")).isInstanceOf(UsageException.class)
                .hasMessage("--port must be a number from 0 to 65535, not 'http'");
    }

    @Test
    void aBadValueNamesTheVariable() {
        assertThatThrownBy(() -> resolve(Map.of("JHTTPD_PORT", "70000"))).isInstanceOf(UsageException.class)
                .hasMessage("JHTTPD_PORT must be a number from 0 to 65535, not '70000'");
        assertThatThrownBy(() -> resolve(Map.of("JHTTPD_QUIET", "maybe"))).isInstanceOf(UsageException.class)
                .hasMessage("JHTTPD_QUIET must be true or false (or yes/no, on/off, 1/0), not 'maybe'");
    }

    @Test
    void aBadValueNamesTheFileAndLine() throws Exception {
        Path file = configFile("\nmax-body = 5TB\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString())).isInstanceOf(UsageException.class)
                .hasMessage("max-body (" + file + ":2) must be a size of at least 1 byte such as 1048576, 512KB or "
                        + "5MB (K = 1024), not '5TB'");
    }

    @Test
    void aBadValueInTheFileIsReportedEvenWhenAFlagOverridesIt() throws Exception {
        // Overridden or not, the file is wrong; saying so now beats failing on the day the flag is dropped.
        Path file = configFile("port = x\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString(), "--port", "1"))
                .isInstanceOf(UsageException.class).hasMessageContaining(file + ":1");
    }

    @Test
    void aSecretValueIsNeverRepeated() {
        assertThatThrownBy(() -> resolve(Map.of("JHTTPD_SECRET", "pw!"))).isInstanceOf(UsageException.class)
                .hasMessage("JHTTPD_SECRET must be at least 4 characters");
    }

    @Test
    void anUnknownVariableIsAWarningNotAnError() throws Exception {
        Configuration c = resolve(Map.of("JHTTPD_PROT", "1", "JHTTPD_HIDDEN_SWITCH", "true", "PATH", "/bin"));
        assertThat(c.warnings()).containsExactly(
                "ignoring environment variable JHTTPD_HIDDEN_SWITCH: no such setting",
                "ignoring environment variable JHTTPD_PROT: no such setting");
        assertThat(c.get(HIDDEN)).isFalse();
    }

    @Test
    void anEmptyVariableCountsAsUnset() throws Exception {
        Configuration c = resolve(Map.of("JHTTPD_PORT", "", "JHTTPD_CONFIG", ""));
        assertThat(c.get(PORT)).isEqualTo(8080);
        assertThat(c.configFile()).isNull();
    }

    @Test
    void anUnknownNameInTheFileIsAnErrorThatListsTheSettings() throws Exception {
        Path file = configFile("prot = 80\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString())).isInstanceOf(UsageException.class)
                .hasMessage(file + ":1: unknown setting 'prot'; the settings are port, max-body, secret, quiet");
    }

    @Test
    void aHiddenSettingCannotComeFromTheFile() throws Exception {
        Path file = configFile("hidden-switch = true\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString())).isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown setting 'hidden-switch'");
    }

    @Test
    void aNameTwiceInTheFileIsAnError() throws Exception {
        Path file = configFile("port = 1\nport = 2\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString())).isInstanceOf(UsageException.class)
                .hasMessage(file + ":2: port given twice (first on line 1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"port 80", "= 80", "[server]"})
    void aLineThatIsNotNameEqualsValueIsAnError(String line) throws Exception {
        Path file = configFile("# ok\n" + line + "\n");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString())).isInstanceOf(UsageException.class)
                .hasMessage(file + ":2: expected 'name = value', not '" + line + "'");
    }

    @Test
    void aHashInsideAValueIsKept() throws Exception {
        Setting<String> origin = Setting.value("cors-origin", "O", "", text -> text, dir -> "*");
        Path file = configFile("cors-origin = https://a.example/#x # not part of it\n");
        assertThat(Configuration.resolve(List.of(origin), dir, Map.of(), List.of("--config", file.toString()))
                .get(origin)).isEqualTo("https://a.example/#x");
    }

    @Test
    void aMissingConfigFileIsAnError() {
        Path missing = dir.resolve("absent.conf");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", missing.toString())).isInstanceOf(UsageException.class)
                .hasMessage("config file " + missing + " does not exist");
        assertThatThrownBy(() -> resolve(Map.of("JHTTPD_CONFIG", missing.toString())))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aConfigFileNameWithControlCharactersIsNotEchoedRaw() {
        assertThatThrownBy(() -> resolve(Map.of(), "--config", "a\u001b[2Jb")).isInstanceOf(UsageException.class)
                .hasMessage("config file a?[2Jb does not exist");
    }

    @Test
    void aConfigFileThatIsNotUtf8IsAnError() throws Exception {
        Path file = Files.write(dir.resolve("latin1.conf"), new byte[]{'p', '=', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString())).isInstanceOf(UsageException.class)
                .hasMessage("config file " + file + " is not UTF-8 text");
    }

    @Test
    void flagsAreCheckedAsBefore() {
        assertThatThrownBy(() -> resolve(Map.of(), "--prot", "1")).hasMessage("unknown option --prot");
        assertThatThrownBy(() -> resolve(Map.of(), "--port")).hasMessage("--port needs a value");
        assertThatThrownBy(() -> resolve(Map.of(), "--port", "1", "--port=2")).hasMessage("--port given twice");
        assertThatThrownBy(() -> resolve(Map.of(), "--config", "a", "--config", "b"))
                .hasMessage("--config given twice");
        assertThatThrownBy(() -> resolve(Map.of(), "stray")).hasMessage("unexpected argument 'stray'");
    }

    @Test
    void describeShowsEveryVisibleSettingWithItsSourceInTheFileFormat() throws Exception {
        Path file = configFile("max-body = 1MB\n");
        Configuration c = resolve(Map.of("JHTTPD_QUIET", "true"), "--config", file.toString(), "--port", "9000");
        assertThat(c.describe()).isEqualTo("""
                # jhttpd settings in force; config file: %s
                # precedence: flag > environment > config file > default
                port       = 9000                              # flag
                max-body   = 1MB                               # %s:1
                # secret   = (none)                            # default
                quiet      = true                              # env JHTTPD_QUIET
                """.formatted(file, file));
    }

    @Test
    void whatDescribePrintsReadsBackAsAConfigFileWithTheSameValues() throws Exception {
        Configuration first = resolve(Map.of("JHTTPD_MAX_BODY", "3KB"), "--port", "9000", "--quiet");
        Path file = configFile(first.describe());
        Configuration second = resolve(Map.of(), "--config", file.toString());
        for (Setting<?> setting : List.of(PORT, MAX_BODY, SECRET, QUIET)) {
            assertThat(second.get(setting)).isEqualTo(first.get(setting));
        }
    }
}
