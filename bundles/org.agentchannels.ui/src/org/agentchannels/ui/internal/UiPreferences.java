package org.agentchannels.ui.internal;

import org.agentchannels.ui.AgentChannelsUi;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;

/** The Agent Channels preferences (instance scope). Tokens are never here: they live in Secure Storage. */
public final class UiPreferences {

    public static final String DEVICE_NAME = "deviceName";
    /** The endpoint of this device's gateway, e.g. {@code ws://127.0.0.1:8664/api/ws}. */
    public static final String LOCAL_GATEWAY = "localGateway";
    public static final String PRESENCE_DIRECTORY = "presenceDirectory";
    public static final String NOTIFICATIONS = "notifications";
    /** Start this device's gateway (in {@link #GATEWAY_HOME}) when none runs; its endpoint then needs no setting. */
    public static final String START_GATEWAY = "startGateway";
    public static final String GATEWAY_HOME = "gatewayHome";
    /** The started gateway's port, bind address and advertised endpoint; empty leaves the gateway's own default. */
    public static final String GATEWAY_PORT = "gatewayPort";
    public static final String GATEWAY_BIND = "gatewayBind";
    public static final String GATEWAY_ADVERTISE = "gatewayAdvertise";
    /**
     * A file of {@code <endpoint> <token>} lines (what {@code gateway pair} prints) imported into Secure Storage
     * when the workbench starts: how a script or an administrator pairs a workbench without typing.
     */
    public static final String PAIRING_FILE = "pairingFile";
    /**
     * The team's MQTT broker the started gateway announces its sessions on and reads the team's from
     * ({@code mqtt[s]://[user@]host:port/TEAM}); its password is in Secure Storage ({@link BrokerPasswords}).
     */
    public static final String PRESENCE_BROKER = "presenceBroker";
    /** The PEM file of the authorities the team trusts for its {@code mqtts://} broker; empty: the Java runtime's. */
    public static final String PRESENCE_BROKER_CA_FILE = "presenceBrokerCaFile";
    /** The pinned key of the team's {@code mqtts://} broker ({@code sha256:...}); empty: none pinned. */
    public static final String PRESENCE_BROKER_FINGERPRINT = "presenceBrokerFingerprint";

    private UiPreferences() {
    }

    public static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(AgentChannelsUi.PLUGIN_ID);
    }

    /** Instance scope first, then the product's defaults ({@code plugin_customization.ini}, {@code -pluginCustomization}). */
    private static String get(String key) {
        return Platform.getPreferencesService().getString(AgentChannelsUi.PLUGIN_ID, key, "", null);
    }

    public static String deviceName() {
        return get(DEVICE_NAME);
    }

    public static String localGateway() {
        return get(LOCAL_GATEWAY);
    }

    public static String presenceDirectory() {
        return get(PRESENCE_DIRECTORY);
    }

    public static boolean startGateway() {
        return Platform.getPreferencesService().getBoolean(AgentChannelsUi.PLUGIN_ID, START_GATEWAY, false, null);
    }

    /** Where the started gateway lives: the preference, else {@code ~/.agentchannels/gateway} as on the command line. */
    public static java.nio.file.Path gatewayHome() {
        String home = get(GATEWAY_HOME);
        return home.isBlank() ? java.nio.file.Path.of(System.getProperty("user.home"), ".agentchannels", "gateway")
                : java.nio.file.Path.of(home.strip());
    }

    /**
     * The command-line options of the gateway the workbench starts: port, bind address and advertised endpoint
     * as set here, and this device's name, presence folder and team broker, so the gateway publishes where the
     * Live views of the other devices look (the broker's password goes in its environment, never here). Options left empty fall back to the home's {@code gateway.properties}.
     */
    public static java.util.List<String> startedGatewayOptions() {
        java.util.List<String> options = new java.util.ArrayList<>();
        addOption(options, "--port", get(GATEWAY_PORT));
        addOption(options, "--bind", get(GATEWAY_BIND));
        addOption(options, "--advertise", get(GATEWAY_ADVERTISE));
        addOption(options, "--device-name", deviceName());
        addOption(options, "--presence-dir", presenceDirectory());
        addOption(options, "--presence-broker", presenceBroker());
        // what checks a TLS broker's certificate; the gateway refuses either for plain MQTT, so it gets neither then
        if (presenceBroker().strip().toLowerCase(java.util.Locale.ROOT).startsWith("mqtts://")) {
            addOption(options, "--presence-broker-ca-file", get(PRESENCE_BROKER_CA_FILE));
            addOption(options, "--presence-broker-fingerprint", get(PRESENCE_BROKER_FINGERPRINT));
        }
        return options;
    }

    private static void addOption(java.util.List<String> options, String flag, String value) {
        if (!value.isBlank()) {
            options.add(flag);
            options.add(value.strip());
        }
    }

    public static String presenceBroker() {
        return get(PRESENCE_BROKER);
    }

    public static String pairingFile() {
        return get(PAIRING_FILE);
    }

    /** For the screenshot script: the Live view opens its newest session once, as a double-click would. */
    public static final String OPEN_FIRST_LIVE_SESSION = "openFirstLiveSession";

    public static boolean openFirstLiveSession() {
        return Platform.getPreferencesService().getBoolean(AgentChannelsUi.PLUGIN_ID, OPEN_FIRST_LIVE_SESSION, false, null);
    }

    public static boolean notifications() {
        return Platform.getPreferencesService().getBoolean(AgentChannelsUi.PLUGIN_ID, NOTIFICATIONS, true, null);
    }
}
