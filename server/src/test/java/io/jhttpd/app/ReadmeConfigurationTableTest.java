package io.jhttpd.app;

import io.jhttpd.app.config.Setting;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table names every setting, each with its real flag, variable and file name. */
class ReadmeConfigurationTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(--[a-z-]+)[^`]*` \\| `(JHTTPD_[A-Z_]+)` \\| `?([a-z-]*)`? ?\\|",
            Pattern.MULTILINE);

    @Test
    void everySettingHasARowWithItsThreeNames() throws Exception {
        String readme = Files.readString(ReadmeWalkthroughTest.readme());
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(readme);
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        List<String> expected = new ArrayList<>();
        for (Setting<?> setting : ServerSettings.ALL) {
            if (!setting.hidden()) {
                expected.add(setting.flag() + " " + setting.environmentVariable() + " " + setting.name());
            }
        }
        expected.add("--config JHTTPD_CONFIG ");
        assertThat(rows).containsExactlyElementsOf(expected);
    }
}
