package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.agentchannels.core.DeviceNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "laptop|laptop",
            "'  laptop  '|laptop",
            "'my\n  work\t\tlaptop'|my work laptop",
            "'\u3000東京の  Mac\u00a0mini '|東京の Mac mini",
            "''|''",
            "'   \n\t '|''" })
    void trimsAndCollapsesWhitespace(String raw, String expected) {
        assertEquals(expected, DeviceNames.sanitize(raw));
    }

    @Test
    void cutsAtEightyCodePoints() {
        String longName = "x".repeat(200);
        assertEquals(80, DeviceNames.sanitize(longName).length());

        String emoji = "\uD83D\uDCBB".repeat(100); // laptop emoji, a surrogate pair each
        String cut = DeviceNames.sanitize(emoji);
        assertEquals(80, cut.codePointCount(0, cut.length()));
        assertEquals(emoji.substring(0, 160), cut, "a surrogate pair is never split");
    }

    @Test
    void neverEndsWithASpaceAfterCutting() {
        String name = "a".repeat(79) + " b";
        assertEquals("a".repeat(79), DeviceNames.sanitize(name));
    }

    @Test
    void dropsControlCharacters() {
        assertEquals("evilname", DeviceNames.sanitize("evil\u0000\u001bname"));
    }

    @Test
    void nonStringsBecomeEmpty() {
        assertEquals("", DeviceNames.sanitize(null));
        assertEquals("", DeviceNames.sanitize(42));
        assertEquals("", DeviceNames.sanitize(List.of("laptop")));
        assertEquals("", DeviceNames.sanitize(Map.of("name", "laptop")));
    }

    @Test
    void aHostNameLosesTheLocalSuffixAndIsSanitised() {
        assertEquals("Omars-MacBook", DeviceNames.fromHostName("Omars-MacBook.local"));
        assertEquals("build box", DeviceNames.fromHostName("  build\n box "));
        assertEquals("", DeviceNames.fromHostName(null));
    }
}
