package org.agentchannels.ui.internal.preferences;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.BrokerPasswords;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.widgets.Composite;

/**
 * The team broker's password: typed hidden, kept in Secure Storage under the broker's URL (never in the
 * preferences), and never shown again. Left empty, the password kept stays; the field is empty whenever the page
 * opens, so the page reads nothing from Secure Storage (which may ask for its master password) to show itself.
 */
final class BrokerPasswordFieldEditor extends StringFieldEditor {

    /** Not a preference: the field editor's name, for the page's bookkeeping only. */
    private static final String NAME = "presenceBrokerPassword";

    private final Supplier<String> brokerUrl;
    private final Consumer<String> showError;

    /**
     * @param brokerUrl the broker URL the page is about to store, the key of the password
     * @param showError shows why the password could not be kept
     */
    BrokerPasswordFieldEditor(Composite parent, Supplier<String> brokerUrl, Consumer<String> showError) {
        super(NAME, Messages.Preferences_presenceBrokerPassword, parent);
        this.brokerUrl = brokerUrl;
        this.showError = showError;
        setEmptyStringAllowed(true);
        getTextControl(parent).setEchoChar('\u25cf');
    }

    @Override
    protected void doLoad() {
        getTextControl().setText("");
    }

    @Override
    protected void doLoadDefault() {
        getTextControl().setText("");
    }

    @Override
    public void store() {
        doStore(); // never the preference store: "restore defaults" keeps the password too
    }

    @Override
    protected void doStore() {
        String password = getStringValue();
        String url = brokerUrl.get();
        if (password.isEmpty() || url.isEmpty()) {
            return;
        }
        BrokerPasswords passwords = BrokerPasswords.ofDefaultStore();
        try {
            if (passwords == null) {
                throw new BrokerPasswords.BrokerPasswordException("Secure Storage cannot be opened");
            }
            passwords.put(url, password);
            getTextControl().setText("");
        } catch (BrokerPasswords.BrokerPasswordException e) {
            String message = NLS.bind(Messages.Preferences_brokerPasswordNotKept, e.getMessage());
            showError.accept(message);
            ILog.of(BrokerPasswordFieldEditor.class).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID, message));
        }
    }
}
