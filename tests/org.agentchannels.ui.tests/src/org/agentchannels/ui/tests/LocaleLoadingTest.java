package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import org.agentchannels.ui.internal.Messages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** Each locale loads its own strings from the built bundles, not only from the sources. */
class LocaleLoadingTest {

    private static final String UI_MESSAGES = "org.agentchannels.ui.internal.messages";

    /** The UI's messages of exactly {@code locale}, from the built bundle, without falling back to another. */
    private static ResourceBundle messages(Locale locale) {
        return ResourceBundle.getBundle(UI_MESSAGES, locale, Messages.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    @ParameterizedTest
    @ValueSource(strings = { "zh", "ja", "zh-TW", "zh-HK" })
    void theUiMessagesAreShippedInEachLocale(String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        ResourceBundle english = messages(Locale.ROOT);
        ResourceBundle localized = messages(locale);
        assertEquals(locale, localized.getLocale(), "a bundle of its own for " + tag);
        assertNotEquals(english.getString("LiveView_emptyTitle"), localized.getString("LiveView_emptyTitle"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "zh", "ja", "zh-TW", "zh-HK" })
    void aChangedCertificateIsDescribedInEachLocaleWithBothFingerprints(String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        ResourceBundle english = messages(Locale.ROOT);
        ResourceBundle localized = messages(locale);
        for (String key : List.of("Chat_certificateChanged", "Chat_certificateChangedShort")) {
            assertNotEquals(english.getString(key), localized.getString(key), key + " in " + tag);
            assertTrue(localized.getString(key).contains("{0}"), key + " in " + tag);
        }
        String full = localized.getString("Chat_certificateChanged");
        assertTrue(full.contains("{1}") && full.contains("{2}"), "both fingerprints in " + tag + ": " + full);
    }

    @org.junit.jupiter.api.Test
    void theChatDescribesAChangedCertificateWithWhatChangedAndHowToPairAgain() {
        String pinned = "sha256:" + "A".repeat(42) + "Q";
        String shown = "sha256:" + "B".repeat(42) + "A";
        String text = org.agentchannels.ui.internal.GatewayFailures.describe(
                new org.agentchannels.connector.GatewayException("in English from the connector", pinned, shown),
                "wss://192.0.2.10:8664/api/ws?token=secret-in-url");
        assertTrue(text.contains(pinned) && text.contains(shown), text);
        assertTrue(text.contains("wss://192.0.2.10:8664/api/ws"), text);
        assertTrue(!text.contains("secret-in-url"), "the endpoint is redacted: " + text);
        assertNotEquals("in English from the connector", text, "our words, not the connector's");
    }

    @ParameterizedTest
    @ValueSource(strings = { "zh", "ja", "zh_TW", "zh_HK" })
    void everyAgentChannelsBundleHasItsNameInEachLocale(String locale) {
        Bundle self = FrameworkUtil.getBundle(Messages.class);
        List<String> checked = new ArrayList<>();
        for (Bundle bundle : self.getBundleContext().getBundles()) {
            String name = bundle.getSymbolicName();
            if (!name.startsWith("org.agentchannels.") || bundle.getHeaders("").get("Fragment-Host") != null) {
                continue;
            }
            String english = bundle.getHeaders("en").get("Bundle-Name");
            String localized = bundle.getHeaders(locale).get("Bundle-Name");
            assertTrue(english.startsWith("Agent Channels"), name + " has the English name " + english);
            assertNotEquals(english, localized, name + " in " + locale);
            assertTrue(!localized.startsWith("%"), name + " resolves its Bundle-Name in " + locale);
            checked.add(name);
        }
        assertTrue(checked.containsAll(List.of("org.agentchannels.core", "org.agentchannels.connector",
                "org.agentchannels.presence", "org.agentchannels.gateway", "org.agentchannels.cli", "org.agentchannels.ui")),
                checked::toString);
    }
}
