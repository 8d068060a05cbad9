package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

/**
 * Every key of every plugin.properties, feature.properties and NLS messages.properties in the checkout
 * exists in each shipped locale, is translated rather than copied, keeps its placeholders, and is written
 * as ASCII with \\u escapes (properties files are read as ISO-8859-1).
 */
@ExtendWith(NoErrorLoggedExtension.class)
class LocalizationCompletenessTest {

    static final List<String> LOCALES = List.of("zh", "ja", "zh_TW", "zh_HK");

    /** Proper names that stay the same in every language. */
    private static final Set<String> UNTRANSLATED_NAMES = Set.of("Agent Channels");

    private static final Set<String> BASE_NAMES = Set.of("plugin.properties", "feature.properties", "messages.properties");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+\\}");

    static Path checkoutRoot() {
        String root = System.getProperty("agentchannels.root");
        assertTrue(root != null && Files.isDirectory(Path.of(root, "bundles")),
                "the build passes the checkout as -Dagentchannels.root, got " + root);
        return Path.of(root);
    }

    static List<Path> baseFiles() throws IOException {
        try (Stream<Path> files = Files.walk(checkoutRoot())) {
            return files.filter(p -> BASE_NAMES.contains(p.getFileName().toString()))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/bin/")
                            && !p.toString().contains("/.tools/") && !p.toString().contains("/.run/"))
                    .sorted().toList();
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in); // ISO-8859-1, as the OSGi framework and NLS read it
        }
        return p;
    }

    @Test
    void findsTheFilesOfEveryBundleAndFeature() throws IOException {
        List<Path> files = baseFiles();
        // 7 bundles + tests.support + 7 test fragments + 2 features, and the NLS files of ui and product
        assertTrue(files.size() >= 19, "found only " + files);
    }

    @Test
    void everyKeyIsTranslatedInEveryLocale() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path base : baseFiles()) {
            Properties english = load(base);
            String stem = base.getFileName().toString().replace(".properties", "");
            for (String locale : LOCALES) {
                Path localized = base.resolveSibling(stem + "_" + locale + ".properties");
                if (!Files.isRegularFile(localized)) {
                    problems.add(localized + " is missing");
                    continue;
                }
                Properties translated = load(localized);
                Set<String> missing = new TreeSet<>(english.stringPropertyNames());
                missing.removeAll(translated.stringPropertyNames());
                if (!missing.isEmpty()) {
                    problems.add(localized + " lacks " + missing);
                }
                Set<String> extra = new TreeSet<>(translated.stringPropertyNames());
                extra.removeAll(english.stringPropertyNames());
                if (!extra.isEmpty()) {
                    problems.add(localized + " has keys that English does not: " + extra);
                }
                for (String key : english.stringPropertyNames()) {
                    String en = english.getProperty(key);
                    String tr = translated.getProperty(key);
                    if (tr == null) {
                        continue;
                    }
                    if (tr.isBlank()) {
                        problems.add(localized + ": " + key + " is empty");
                    } else if (tr.equals(en) && !UNTRANSLATED_NAMES.contains(en)) {
                        problems.add(localized + ": " + key + " is the English text copied: " + en);
                    }
                    if (!placeholders(en).equals(placeholders(tr))) {
                        problems.add(localized + ": " + key + " has placeholders " + placeholders(tr) + ", English has "
                                + placeholders(en));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " localization problems:\n" + String.join("\n", problems));
        }
    }

    @Test
    void hongKongHasTheTraditionalChineseText() throws IOException {
        for (Path base : baseFiles()) {
            String stem = base.getFileName().toString().replace(".properties", "");
            assertEquals(load(base.resolveSibling(stem + "_zh_TW.properties")),
                    load(base.resolveSibling(stem + "_zh_HK.properties")), stem + " in " + base.getParent());
        }
    }

    @Test
    void propertiesFilesAreAsciiWithUnicodeEscapes() throws IOException {
        for (Path base : baseFiles()) {
            String stem = base.getFileName().toString().replace(".properties", "");
            try (Stream<Path> siblings = Files.list(base.getParent())) {
                for (Path file : siblings.filter(p -> p.getFileName().toString().startsWith(stem)
                        && p.getFileName().toString().endsWith(".properties")).toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    for (int i = 0; i < bytes.length; i++) {
                        if (bytes[i] < 0) {
                            fail(file + " has a non-ASCII byte at offset " + i + "; write it as a \\uXXXX escape");
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyMessagesFieldHasItsKey() throws IOException {
        // NLS leaves a field it has no key for as "NLS missing message: ...": catch that at build time
        for (Path base : baseFiles()) {
            if (!base.getFileName().toString().equals("messages.properties")) {
                continue;
            }
            Path messagesClass = base.resolveSibling("Messages.java");
            assertTrue(Files.isRegularFile(messagesClass), "an NLS class sits beside " + base);
            Set<String> fields = new TreeSet<>();
            Matcher m = Pattern.compile("public static String (\\w+);").matcher(Files.readString(messagesClass));
            while (m.find()) {
                fields.add(m.group(1));
            }
            assertEquals(fields, new TreeSet<>(load(base).stringPropertyNames()), "fields and keys of " + messagesClass);
            assertFalse(fields.isEmpty());
        }
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
