package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.agentchannels.core.DeviceNames;
import org.agentchannels.core.DisplayText;
import org.agentchannels.core.presence.PresenceRecord;
import org.agentchannels.core.protocol.EventTypes;
import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.SessionSnapshot;
import org.agentchannels.core.protocol.SessionSummary;
import org.agentchannels.core.protocol.TitleResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/** The one rule for titles and device names: what a terminal would act on or a bidi override would reorder goes. */
class DisplayTextTest {

    /** An OSC setting the window title, a CSI clearing the screen, CR/LF, NUL, a C1 CSI, bidi and zero-width characters. */
    static final String HOSTILE = "\u001b]0;owned\u0007\u001b[2J\r\nreal\u0000 title\u009b31m \u202Etxt.exe\u2066\u200B";
    static final String CLEAN = "]0;owned[2J real title31m txt.exe";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'\u001b]0;owned\u0007Title'|]0;ownedTitle", // OSC: set the window title
            "'\u001b[2J\u001b[HClear'|[2J[HClear", // CSI: clear the screen, home the cursor
            "'\u009b31mred'|31mred", // the one-character C1 CSI
            "'abc\u202Etxt.exe'|abctxt.exe", // right-to-left override
            "'a\u2066b\u2067c\u2068d\u2069e\u200Ef\u200Fg'|abcdefg", // isolates and marks
            "'zero\u200Bwidth\u200C\u200Dtext\uFEFF'|zerowidthtext", // zero-width space, (non-)joiners, BOM
            "'line\r\nbreak\u2028and\u2029more'|line break and more",
            "'nul\u0000byte\u007fdel'|nulbytedel",
            "'\u2067\u202e'|''" })
    void removesControlAndFormatCharactersAndCollapsesWhitespace(String raw, String expected) {
        assertEquals(expected, DisplayText.title(raw));
    }

    @Test
    void keepsEmojiWholeWithTheirJoinersAndTags() {
        String rocket = "\uD83D\uDE80 launch"; // a surrogate pair
        assertEquals(rocket, DisplayText.title(rocket));
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // man ZWJ woman ZWJ girl
        assertEquals(family, DisplayText.title(family));
        String rainbowFlag = "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08"; // white flag, VS16, ZWJ, rainbow
        assertEquals(rainbowFlag, DisplayText.title(rainbowFlag));
        String wales = new StringBuilder().appendCodePoint(0x1F3F4).appendCodePoint(0xE0067).appendCodePoint(0xE0062)
                .appendCodePoint(0xE0077).appendCodePoint(0xE006C).appendCodePoint(0xE0073).appendCodePoint(0xE007F).toString();
        assertEquals("Wales " + wales, DisplayText.title("Wales " + wales));
        String thumbs = "\uD83D\uDC4D\uD83C\uDFFD ok"; // a skin tone modifier is a symbol, not a format character
        assertEquals(thumbs, DisplayText.title(thumbs));
    }

    @Test
    void aJoinerOrTagsOutsideAnEmojiAreHiddenTextAndGo() {
        assertEquals("ab", DisplayText.title("a\u200Db"));
        assertEquals("\uD83D\uDE80", DisplayText.title("\uD83D\uDE80\u200D")); // a joiner at the end joins nothing
        String smuggled = new StringBuilder("hi").appendCodePoint(0xE0041).appendCodePoint(0xE0042).toString();
        assertEquals("hi", DisplayText.title(smuggled), "tag characters after a letter are invisible text");
        StringBuilder longTags = new StringBuilder().appendCodePoint(0x1F3F4);
        for (int i = 0; i < 40; i++) {
            longTags.appendCodePoint(0xE0061);
        }
        String cut = DisplayText.title(longTags.toString());
        assertTrue(cut.codePointCount(0, cut.length()) <= 34, "no flag has forty tags: " + cut.codePointCount(0, cut.length()));
    }

    @Test
    void titlesAreCutAtTwoHundredCodePointsNeverInsideAPair() {
        assertEquals(DisplayText.MAX_TITLE_LENGTH, DisplayText.title("t".repeat(500)).length());
        String cut = DisplayText.title("x".repeat(199) + "\uD83D\uDE00\uD83D\uDE00");
        assertEquals("x".repeat(199) + "\uD83D\uDE00", cut);
        assertEquals(CLEAN, DisplayText.title(HOSTILE));
        assertEquals("", DisplayText.title(null));
        assertEquals("", DisplayText.title(7));
    }

    @Test
    void isHiddenNamesWhatAScreenMustNotReceiveAsItIs() {
        for (String c : List.of("\u001b", "\n", "\t", "\r", "\u0000", "\u0085", "\u009b", "\u202E", "\u200B", "\u2028")) {
            assertTrue(DisplayText.isHidden(c, 0), Integer.toHexString(c.codePointAt(0)));
        }
        for (String c : List.of("a", " ", "\u00e9", "\u6771", "\uD83D\uDE80", "\uFE0F")) {
            assertFalse(DisplayText.isHidden(c, 0), Integer.toHexString(c.codePointAt(0)));
        }
    }

    @Test
    void deviceNamesFollowTheSameRule() {
        assertEquals("laptop", DeviceNames.sanitize("lap\u202Etop\u200B"));
        assertEquals("]2;evil name", DeviceNames.sanitize("\u001b]2;evil\u0007\n name")); // the ESC and BEL are what acted
    }

    @Test
    void everyReaderOfAPeersTitleOrNameCleansIt() {
        String hostile = new JsonPrimitive(HOSTILE).toString(); // as JSON escapes it
        JsonObject list = JsonParser.parseString("{\"sessions\":[{\"id\":\"s1\",\"title\":" + hostile + ",\"model\":"
                + hostile + "}]}").getAsJsonObject();
        SessionSummary summary = SessionSummary.listFrom(list).get(0);
        assertEquals(CLEAN, summary.title());
        assertEquals(CLEAN, summary.model());

        PresenceRecord record = PresenceRecord.parse("{\"session_id\":\"s1\",\"title\":" + hostile + ",\"host\":"
                + hostile + ",\"model\":" + hostile + "}").orElseThrow();
        assertEquals(CLEAN, record.title());
        assertEquals(CLEAN, record.model());
        assertEquals(DeviceNames.sanitize(HOSTILE), record.host());

        JsonObject title = JsonParser.parseString("{\"title\":" + hostile + ",\"session_id\":\"s1\"}").getAsJsonObject();
        assertEquals(CLEAN, ((GatewayEvent.SessionTitle) GatewayEvents.parse(
                new Frame.Event(EventTypes.SESSION_TITLE, "s1", title, -1, title))).title());
        assertEquals(CLEAN, TitleResult.fromJson(title).title());
        assertEquals(CLEAN, SessionSnapshot.fromResult(title, new FrameCodec()).title());
    }
}
