package io.jhttpd.app;

import io.jhttpd.app.config.UsageException;
import io.jhttpd.app.ops.OpsSettings;
import io.jhttpd.app.store.StoreSpec;
import io.jhttpd.filters.AccessLogFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every flag, the bare port, and each way a command line can be wrong; every setting from the environment
 * and from the config file (the precedence rules themselves are {@code ConfigurationTest}'s).
 */
class OptionsTest {

    @TempDir
    Path dir;

    private Options parse(String... args) throws UsageException {
        return Options.parse(dir, args);
    }

    @Test
    void defaultsAreDocumented() throws UsageException {
        Options o = parse();
        assertThat(o.action()).isEqualTo(Options.Action.SERVE);
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.host()).isEqualTo("0.0.0.0");
        assertThat(o.directory()).isNull();
        assertThat(o.staticDir()).isNull();
        assertThat(o.maxBodyBytes()).isEqualTo(5L * 1024 * 1024);
        assertThat(o.maxConnections()).isEqualTo(10_000);
        assertThat(o.corsOrigin()).isEqualTo("*");
        assertThat(o.quiet()).isFalse();
        assertThat(o.store()).isEqualTo(new StoreSpec.Memory());
    }

    @Test
    void storeSqliteTakesAFileWhoseDirectoryExists() throws Exception {
        Path db = dir.resolve("data.db");
        assertThat(parse("--store", "sqlite:" + db).store()).isEqualTo(new StoreSpec.Sqlite(db, true));
        assertThat(parse("--store=sqlite:" + db, "--no-group-commit").store())
                .isEqualTo(new StoreSpec.Sqlite(db, false));
    }

    @Test
    void storePostgresqlBecomesAJdbcUrlWithTheCredentialsAsProperties() throws Exception {
        StoreSpec.Postgres pg = (StoreSpec.Postgres) parse("--store",
                "postgresql://db.example:6543/app?user=web&password=p%26ss+w0rd&sslmode=require").store();
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/app");
        assertThat(pg.properties()).containsEntry("user", "web").containsEntry("password", "p&ss+w0rd")
                .containsEntry("sslmode", "require");
        assertThat(pg.toString()).doesNotContain("p&ss");
        StoreSpec.Postgres defaults = (StoreSpec.Postgres) parse("--store", "postgresql://u:pw@10.0.0.5/app").store();
        assertThat(defaults.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5432/app");
        assertThat(defaults.properties()).containsEntry("user", "u").containsEntry("password", "pw");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "disk", "sqlite:", "sqlite", "mysql://h/db", "postgresql://h/db",
            "postgresql://h/?user=u", "postgresql:///db?user=u", "postgresql://h/a/b?user=u",
            "postgresql://h/db?user", "postgresql://h/db?user=u#x", "postgresql://h:99999/db?user=u"})
    void aBadStoreIsAUsageErrorThatSaysWhatIsAllowed(String value) {
        assertThatThrownBy(() -> parse("--store", value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--store").hasMessageNotContaining("\n");
        if (!value.startsWith("postgresql") && !value.startsWith("sqlite")) {
            assertThatThrownBy(() -> parse("--store", value))
                    .hasMessageContaining("memory, sqlite:PATH or postgresql://HOST[:PORT]/DB?user=USER&password=PASSWORD");
        }
    }

    @Test
    void aSqliteStoreInADirectoryThatDoesNotExistIsAUsageError() {
        assertThatThrownBy(() -> parse("--store", "sqlite:" + dir.resolve("missing/data.db")))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> parse("--store", "sqlite:" + dir))
                .isInstanceOf(UsageException.class).hasMessageContaining("not a directory");
    }

    @Test
    void noGroupCommitNeedsASqliteStore() {
        assertThatThrownBy(() -> parse("--no-group-commit")).isInstanceOf(UsageException.class)
                .hasMessageContaining("sqlite");
        assertThat(Options.USAGE).doesNotContain("group-commit");
    }

    @Test
    void aPasswordIsNeverRepeatedInAStoreError() {
        assertThatThrownBy(() -> parse("--store", "postgresql://h/a/b?user=u&password=hunter2"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void staticDefaultsToDotStaticWhenItExists() throws Exception {
        Files.createDirectory(dir.resolve("static"));
        assertThat(parse().staticDir()).isEqualTo(dir.resolve("static"));
    }

    @Test
    void eachFlagIsRead() throws Exception {
        Path files = Files.createDirectory(dir.resolve("f"));
        Path site = Files.createDirectory(dir.resolve("s"));
        Options o = parse("--port", "9000", "--host", "127.0.0.1", "--directory", files.toString(),
                "--static", site.toString(), "--max-body", "512KB", "--cors-origin", "https://app.example", "--quiet",
                "--max-connections", "64");
        assertThat(o.port()).isEqualTo(9000);
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.directory()).isEqualTo(files);
        assertThat(o.staticDir()).isEqualTo(site);
        assertThat(o.maxBodyBytes()).isEqualTo(512 * 1024);
        assertThat(o.maxConnections()).isEqualTo(64);
        assertThat(o.corsOrigin()).isEqualTo("https://app.example");
        assertThat(o.quiet()).isTrue();
    }

    @Test
    void flagsAlsoTakeTheirValueAfterAnEqualsSign() throws Exception {
        Options o = parse("--port=9001", "--max-body=1MB");
        assertThat(o.port()).isEqualTo(9001);
        assertThat(o.maxBodyBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void aBareNumberAsTheOnlyArgumentIsThePort() throws Exception {
        assertThat(parse("9002").port()).isEqualTo(9002);
    }

    @Test
    void helpAndVersionWinOverEverythingElse() throws Exception {
        assertThat(parse("--help").action()).isEqualTo(Options.Action.HELP);
        assertThat(parse("--port", "nope", "-h").action()).isEqualTo(Options.Action.HELP);
        assertThat(parse("--version").action()).isEqualTo(Options.Action.VERSION);
        assertThat(parse("--bogus", "-V").action()).isEqualTo(Options.Action.VERSION);
    }

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "512KB,524288", "5MB,5242880", "5mb,5242880", "2K,2048", "1GB,1073741824",
            "100B,100", "3 MB,3145728"})
    void maxBodyTakesBytesOrAUnit(String value, long bytes) throws Exception {
        assertThat(parse("--max-body", value).maxBodyBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "5TB", "MB", "five", "1.5MB", "99999999999999999999", "9999999999999999GB", ""})
    void badMaxBodyIsAUsageError(String value) {
        assertThatThrownBy(() -> parse("--max-body", value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--max-body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1000001", "99999999999", "ten", "", "+5", "1e3", "\u0668\u0660"})
    void badMaxConnectionsIsAUsageError(String value) {
        assertThatThrownBy(() -> parse("--max-connections", value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--max-connections");
    }

    @Test
    void maxConnectionsTakesOneToAMillion() throws Exception {
        assertThat(parse("--max-connections", "1").maxConnections()).isEqualTo(1);
        assertThat(parse("--max-connections=1000000").maxConnections()).isEqualTo(1_000_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "-1", "http", "80a", "", "+80", "\u0668\u0660"})
    void badPortIsAUsageError(String value) {
        assertThatThrownBy(() -> parse("--port", value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("port");
    }

    @Test
    void portZeroAndTheExtremesAreAccepted() throws Exception {
        assertThat(parse("--port", "0").port()).isZero();
        assertThat(parse("--port", "65535").port()).isEqualTo(65535);
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        assertThatThrownBy(() -> parse("--prot", "80")).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --prot");
    }

    @Test
    void aFlagWithoutItsValueIsAUsageError() {
        assertThatThrownBy(() -> parse("--port")).isInstanceOf(UsageException.class).hasMessage("--port needs a value");
    }

    @Test
    void aFlagGivenTwiceIsAUsageError() {
        assertThatThrownBy(() -> parse("--port", "1", "--port", "2")).isInstanceOf(UsageException.class)
                .hasMessage("--port given twice");
    }

    @Test
    void aFirstArgumentThatIsNoOptionIsThePortWhateverFollows() throws Exception {
        Options o = parse("9000", "--quiet", "--max-body", "1MB");
        assertThat(o.port()).isEqualTo(9000);
        assertThat(o.quiet()).isTrue();
        assertThatThrownBy(() -> parse("9000", "--port", "9001")).isInstanceOf(UsageException.class)
                .hasMessage("--port given twice");
    }

    @Test
    void aStrayArgumentIsAUsageError() {
        assertThatThrownBy(() -> parse("--quiet", "8080")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unexpected argument");
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        assertThatThrownBy(() -> parse("--directory", dir.resolve("absent").toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("must be an existing directory");
        assertThatThrownBy(() -> parse("--static", dir.resolve("absent").toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--static");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "https://a, https://b", "x\r\nSet-Cookie: y", "foo", "null", "https://a.b/",
            "https://a.b/path", "https://a.b#frag", "https://a.b?q", "https://a.b:99999", "https://user@a.b", "https://",
            "https://[::1", "://a.b"})
    void aCorsOriginThatCouldSplitAHeaderOrNeverMatchIsAUsageError(String origin) {
        assertThatThrownBy(() -> parse("--cors-origin", origin)).isInstanceOf(UsageException.class);
    }

    @Test
    void theShutdownGraceIsThirtySecondsUnlessGivenFromZeroToAnHour() throws Exception {
        assertThat(parse().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("--shutdown-grace", "0").shutdownGrace()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> parse("--shutdown-grace", "3601")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parse("--shutdown-grace", "5s")).isInstanceOf(UsageException.class);
    }

    @Test
    void quietTakesNoValue() {
        assertThatThrownBy(() -> parse("--quiet=yes")).isInstanceOf(UsageException.class);
    }

    /** Each visible setting: a value other than its default, and what {@link Options} then holds. */
    private Map<String, Object[]> everySetting() throws Exception {
        Path files = Files.createDirectories(dir.resolve("f"));
        Path site = Files.createDirectories(dir.resolve("s"));
        return Map.ofEntries(
                Map.entry("port", new Object[]{"9000", 9000, (Function<Options, Object>) Options::port}),
                Map.entry("host", new Object[]{"127.0.0.1", "127.0.0.1", (Function<Options, Object>) Options::host}),
                Map.entry("directory", new Object[]{files.toString(), files, (Function<Options, Object>) Options::directory}),
                Map.entry("static", new Object[]{site.toString(), site, (Function<Options, Object>) Options::staticDir}),
                Map.entry("max-body", new Object[]{"1MB", 1L << 20, (Function<Options, Object>) Options::maxBodyBytes}),
                Map.entry("max-connections", new Object[]{"64", 64, (Function<Options, Object>) Options::maxConnections}),
                Map.entry("shutdown-grace", new Object[]{"5", Duration.ofSeconds(5),
                        (Function<Options, Object>) Options::shutdownGrace}),
                Map.entry("cors-origin", new Object[]{"https://app.example", "https://app.example",
                        (Function<Options, Object>) Options::corsOrigin}),
                Map.entry("store", new Object[]{"sqlite:" + dir.resolve("d.db"), new StoreSpec.Sqlite(dir.resolve("d.db"), true),
                        (Function<Options, Object>) Options::store}),
                Map.entry("quiet", new Object[]{"true", true, (Function<Options, Object>) Options::quiet}),
                Map.entry("access-log-format", new Object[]{"json", AccessLogFilter.Format.JSON,
                        (Function<Options, Object>) o -> o.ops().accessLogFormat()}),
                Map.entry("access-log", new Object[]{dir.resolve("access.log").toString(), dir.resolve("access.log"),
                        (Function<Options, Object>) o -> o.ops().accessLogFile()}),
                Map.entry("access-log-buffer", new Object[]{"100", 100, (Function<Options, Object>) o -> o.ops().accessLogBuffer()}),
                Map.entry("admin-port", new Object[]{"9090", 9090, (Function<Options, Object>) o -> o.ops().adminPort()}),
                // Alone, --admin-host is refused (it needs --admin-port): with its own port given by flag.
                Map.entry("admin-host", new Object[]{"127.0.0.2", "127.0.0.2", (Function<Options, Object>) o -> o.ops().adminHost(),
                        "--admin-port", "0"}),
                Map.entry("no-ops-endpoints", new Object[]{"true", false, (Function<Options, Object>) o -> o.ops().opsEndpoints()}));
    }

    @Test
    void everySettingCanComeFromTheEnvironment() throws Exception {
        Map<String, Object[]> settings = everySetting();
        assertThat(settings.keySet()).containsExactlyInAnyOrderElementsOf(ServerSettings.ALL.stream()
                .filter(setting -> !setting.hidden()).map(setting -> setting.name()).toList());
        for (var setting : ServerSettings.ALL) {
            if (setting.hidden()) {
                continue;
            }
            Object[] example = settings.get(setting.name());
            Options o = Options.parse(dir, Map.of(setting.environmentVariable(), (String) example[0]), extraFlags(example));
            @SuppressWarnings("unchecked")
            Function<Options, Object> field = (Function<Options, Object>) example[2];
            assertThat(field.apply(o)).as(setting.environmentVariable()).isEqualTo(example[1]);
        }
    }

    @Test
    void everySettingCanComeFromTheConfigFile() throws Exception {
        for (Map.Entry<String, Object[]> setting : everySetting().entrySet()) {
            Object[] example = setting.getValue();
            Path file = Files.writeString(dir.resolve("jhttpd.conf"), setting.getKey() + " = " + example[0] + "\n");
            Options o = parse(concat(new String[]{"--config", file.toString()}, extraFlags(example)));
            @SuppressWarnings("unchecked")
            Function<Options, Object> field = (Function<Options, Object>) example[2];
            assertThat(field.apply(o)).as(setting.getKey()).isEqualTo(example[1]);
        }
    }

    private static String[] extraFlags(Object[] example) {
        return java.util.Arrays.copyOfRange(example, 3, example.length, String[].class);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void theOpsSettingsDefaultToTheCommonLogOnStdoutAndTheEndpointsOnTheApiPort() throws Exception {
        assertThat(parse().ops()).isEqualTo(OpsSettings.defaults());
    }

    @Test
    void theOpsSettingsThatContradictEachOtherAreUsageErrors() {
        assertThatThrownBy(() -> parse("--no-ops-endpoints", "--admin-port", "9090")).isInstanceOf(UsageException.class)
                .hasMessage("--admin-port serves the endpoints that --no-ops-endpoints turns off; give one or the other");
        assertThatThrownBy(() -> parse("--admin-host", "127.0.0.1")).isInstanceOf(UsageException.class)
                .hasMessage("--admin-host needs --admin-port");
    }

    @Test
    void aBadAccessLogSettingSaysWhatIsAllowed() {
        assertThatThrownBy(() -> parse("--access-log-format", "xml")).isInstanceOf(UsageException.class)
                .hasMessage("--access-log-format must be one of common, combined, json, not 'xml'");
        assertThatThrownBy(() -> parse("--access-log", dir.resolve("no/such/dir/access.log").toString()))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--access-log must be a file in a directory that exists");
        assertThatThrownBy(() -> parse("--access-log-buffer", "0")).isInstanceOf(UsageException.class)
                .hasMessage("--access-log-buffer must be a number from 1 to 1000000, not '0'");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariableAndWhatIsAllowed() {
        assertThatThrownBy(() -> Options.parse(dir, Map.of("JHTTPD_MAX_CONNECTIONS", "lots")))
                .isInstanceOf(UsageException.class)
                .hasMessage("JHTTPD_MAX_CONNECTIONS must be a number from 1 to 1000000, not 'lots'");
        assertThatThrownBy(() -> Options.parse(dir, Map.of("JHTTPD_STORE", "postgresql://u:hunter2@h/a/b")))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("JHTTPD_STORE must ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aFlagWinsOverTheEnvironmentForEverySetting() throws Exception {
        Options o = Options.parse(dir, Map.of("JHTTPD_PORT", "7000", "JHTTPD_QUIET", "false"), "--port", "7001",
                "--quiet");
        assertThat(o.port()).isEqualTo(7001);
        assertThat(o.quiet()).isTrue();
    }

    @Test
    void printConfigIsAnActionThatStillChecksEveryValue() throws Exception {
        assertThat(parse("--print-config").action()).isEqualTo(Options.Action.PRINT_CONFIG);
        assertThat(parse("9000", "--print-config").port()).isEqualTo(9000);
        assertThatThrownBy(() -> parse("--print-config", "--port", "x")).isInstanceOf(UsageException.class);
    }

    @Test
    void theHiddenBenchmarkSwitchIsNotAnEnvironmentSetting() throws Exception {
        Path db = dir.resolve("data.db");
        Options o = Options.parse(dir, Map.of("JHTTPD_NO_GROUP_COMMIT", "true"), "--store", "sqlite:" + db);
        assertThat(o.store()).isEqualTo(new StoreSpec.Sqlite(db, true));
        assertThat(o.configuration().warnings()).containsExactly(
                "ignoring environment variable JHTTPD_NO_GROUP_COMMIT: no such setting");
    }
}
