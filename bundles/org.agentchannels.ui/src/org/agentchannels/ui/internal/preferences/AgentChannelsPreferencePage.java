package org.agentchannels.ui.internal.preferences;

import java.util.List;
import java.util.function.Function;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.LocalGatewayLauncher;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.UiPreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.FileFieldEditor;
import org.eclipse.jface.preference.RadioGroupFieldEditor;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.jface.util.PropertyChangeEvent;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

/**
 * Agent Channels: this device's name; its gateway, started here (home, port, bind address, advertised
 * endpoint) or one already running (its endpoint); the presence folder and the team's presence broker (its
 * password in Secure Storage); notifications. Changes apply at once (the services listen to the preference
 * node); tokens are on the Paired Gateways page, in Secure Storage.
 */
public final class AgentChannelsPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

    private static final String START = Boolean.TRUE.toString();
    private static final String CONNECT = Boolean.FALSE.toString();

    private RadioGroupFieldEditor mode;
    private Composite startFields;
    private Composite connectFields;
    private Composite presenceFields;
    private List<FieldEditor> startEditors;
    /** The team broker's fields: they are the started gateway's, greyed out for a gateway already running. */
    private List<FieldEditor> brokerEditors;
    private StringFieldEditor endpoint;

    public AgentChannelsPreferencePage() {
        super(GRID);
        setDescription(Messages.Preferences_description);
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(new ScopedPreferenceStore(InstanceScope.INSTANCE, AgentChannelsUi.PLUGIN_ID));
    }

    @Override
    protected void createFieldEditors() {
        Composite parent = getFieldEditorParent();
        addField(new StringFieldEditor(UiPreferences.DEVICE_NAME, Messages.Preferences_deviceName, parent));

        Group gateway = group(parent, Messages.Preferences_gatewayGroup);
        // the radio buttons store "true" or "false" under the start preference
        mode = new RadioGroupFieldEditor(UiPreferences.START_GATEWAY, "", 1, new String[][] {
                { Messages.Preferences_startGateway, START }, { Messages.Preferences_connectGateway, CONNECT } },
                gateway);
        addField(mode);
        startFields = fields(gateway);
        DirectoryFieldEditor home = new DirectoryFieldEditor(UiPreferences.GATEWAY_HOME, Messages.Preferences_gatewayHome,
                startFields);
        home.setEmptyStringAllowed(true);
        StringFieldEditor port = new CheckedFieldEditor(UiPreferences.GATEWAY_PORT, Messages.Preferences_gatewayPort,
                startFields, AgentChannelsPreferencePage::portProblem);
        StringFieldEditor bind = new StringFieldEditor(UiPreferences.GATEWAY_BIND, Messages.Preferences_gatewayBind, startFields);
        bind.setEmptyStringAllowed(true);
        StringFieldEditor advertise = new CheckedFieldEditor(UiPreferences.GATEWAY_ADVERTISE,
                Messages.Preferences_gatewayAdvertise, startFields, AgentChannelsPreferencePage::endpointProblem);
        startEditors = List.of(home, port, bind, advertise);
        startEditors.forEach(this::addField);
        connectFields = fields(gateway);
        endpoint = new CheckedFieldEditor(UiPreferences.LOCAL_GATEWAY, Messages.Preferences_localGateway, connectFields,
                AgentChannelsPreferencePage::endpointProblem);
        addField(endpoint);

        Group others = group(parent, Messages.Preferences_otherDevicesGroup);
        presenceFields = fields(others);
        DirectoryFieldEditor presence = new DirectoryFieldEditor(UiPreferences.PRESENCE_DIRECTORY,
                Messages.Preferences_presenceDirectory, presenceFields);
        presence.setEmptyStringAllowed(true);
        addField(presence);
        StringFieldEditor broker = new CheckedFieldEditor(UiPreferences.PRESENCE_BROKER, Messages.Preferences_presenceBroker,
                presenceFields, AgentChannelsPreferencePage::brokerProblem);
        BrokerPasswordFieldEditor password = new BrokerPasswordFieldEditor(presenceFields,
                () -> broker.getStringValue().strip(), this::setErrorMessage);
        FileFieldEditor caFile = new FileFieldEditor(UiPreferences.PRESENCE_BROKER_CA_FILE,
                Messages.Preferences_presenceBrokerCaFile, true, presenceFields);
        caFile.setEmptyStringAllowed(true);
        StringFieldEditor fingerprint = new CheckedFieldEditor(UiPreferences.PRESENCE_BROKER_FINGERPRINT,
                Messages.Preferences_presenceBrokerFingerprint, presenceFields,
                value -> Fingerprints.isValid(value) ? null : Messages.Preferences_badBrokerFingerprint);
        Label hint = new Label(presenceFields, SWT.WRAP);
        hint.setText(Messages.Preferences_presenceBrokerHint);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).hint(400, SWT.DEFAULT).applyTo(hint);
        // the password is kept before the broker's URL is stored, which starts applying the preferences
        addField(password);
        addField(broker);
        addField(caFile);
        addField(fingerprint);
        brokerEditors = List.of(broker, password, caFile, fingerprint);
        addField(new BooleanFieldEditor(UiPreferences.NOTIFICATIONS, Messages.Preferences_notifications, parent));
    }

    @Override
    protected void initialize() {
        super.initialize();
        enableFor(getPreferenceStore().getBoolean(UiPreferences.START_GATEWAY));
    }

    @Override
    public void propertyChange(PropertyChangeEvent event) {
        super.propertyChange(event);
        if (event.getSource() == mode) {
            enableFor(START.equals(event.getNewValue()));
        }
    }

    @Override
    protected void performDefaults() {
        super.performDefaults();
        enableFor(getPreferenceStore().getDefaultBoolean(UiPreferences.START_GATEWAY));
    }

    /** The fields of the way not chosen are greyed out, not hidden: the person sees both ways. */
    private void enableFor(boolean start) {
        for (FieldEditor editor : startEditors) {
            editor.setEnabled(start, startFields);
        }
        endpoint.setEnabled(!start, connectFields);
        for (FieldEditor editor : brokerEditors) {
            editor.setEnabled(start, presenceFields);
        }
    }

    private static Group group(Composite parent, String title) {
        Group group = new Group(parent, SWT.NONE);
        group.setText(title);
        GridLayoutFactory.swtDefaults().applyTo(group);
        GridDataFactory.fillDefaults().grab(true, false).span(3, 1).indent(0, 6).applyTo(group);
        return group;
    }

    /** A composite of its own per set of field editors: each lays out its own label, text and button columns. */
    private static Composite fields(Composite parent) {
        Composite fields = new Composite(parent, SWT.NONE);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(fields);
        return fields;
    }

    @Override
    protected void adjustGridLayout() {
        super.adjustGridLayout();
        for (Composite fields : new Composite[] { startFields, connectFields, presenceFields }) {
            if (fields != null) {
                GridLayoutFactory.fillDefaults().numColumns(3).spacing(8, 5).applyTo(fields);
            }
        }
    }

    /** Empty, or a port from 0 to 65535; else what is wrong with it. */
    private static String portProblem(String value) {
        try {
            int n = Integer.parseInt(value);
            return n >= 0 && n <= 65535 ? null : Messages.Preferences_badPort;
        } catch (NumberFormatException e) {
            return Messages.Preferences_badPort;
        }
    }

    /** A team broker's URL as the gateway will read it ({@code mqtt[s]://[user@]host:port/TEAM}); else what is wrong. */
    private static String brokerProblem(String value) {
        return LocalGatewayLauncher.presenceBrokerProblem(value).isPresent() ? Messages.Preferences_badBroker : null;
    }

    /** A gateway endpoint as the connector will read it ({@code ws://host:port/api/ws}); else what is wrong. */
    private static String endpointProblem(String value) {
        try {
            GatewayEndpoints.parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** A text field that may be empty and is otherwise checked: {@code problem} says what is wrong, or null. */
    private static final class CheckedFieldEditor extends StringFieldEditor {
        private final Function<String, String> problem;

        CheckedFieldEditor(String name, String label, Composite parent, Function<String, String> problem) {
            super(name, label, parent);
            this.problem = problem;
            setEmptyStringAllowed(true);
        }

        @Override
        protected boolean doCheckState() {
            String value = getStringValue().strip();
            String wrong = value.isEmpty() ? null : problem.apply(value);
            if (wrong != null) {
                setErrorMessage(wrong);
            }
            return wrong == null;
        }
    }
}
