package org.agentchannels.ui.internal.preferences;

import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.UiPreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.DirectoryFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.preferences.ScopedPreferenceStore;

/**
 * Agent Channels: this device's name, its gateway, the presence folder and notifications. Changes apply at
 * once (the services listen to the preference node); tokens are on the Paired gateways page, in Secure
 * Storage.
 */
public final class AgentChannelsPreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {

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
        addField(new StringFieldEditor(UiPreferences.DEVICE_NAME, Messages.Preferences_deviceName, getFieldEditorParent()));
        addField(new BooleanFieldEditor(UiPreferences.START_GATEWAY, Messages.Preferences_startGateway, getFieldEditorParent()));
        addField(new DirectoryFieldEditor(UiPreferences.GATEWAY_HOME, Messages.Preferences_gatewayHome, getFieldEditorParent()) {
            {
                setEmptyStringAllowed(true);
            }
        });
        StringFieldEditor gateway = new StringFieldEditor(UiPreferences.LOCAL_GATEWAY, Messages.Preferences_localGateway,
                getFieldEditorParent()) {
            @Override
            protected boolean doCheckState() {
                String value = getStringValue().strip();
                if (value.isEmpty()) {
                    return true;
                }
                try {
                    org.agentchannels.core.GatewayEndpoints.parse(value);
                    return true;
                } catch (IllegalArgumentException e) {
                    setErrorMessage(e.getMessage());
                    return false;
                }
            }
        };
        gateway.setEmptyStringAllowed(true);
        addField(gateway);
        addField(new DirectoryFieldEditor(UiPreferences.PRESENCE_DIRECTORY, Messages.Preferences_presenceDirectory,
                getFieldEditorParent()) {
            {
                setEmptyStringAllowed(true);
            }
        });
        addField(new BooleanFieldEditor(UiPreferences.NOTIFICATIONS, Messages.Preferences_notifications,
                getFieldEditorParent()));
    }
}
