package org.agentchannels.ui.internal.preferences;

import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.Pairing;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.IMessageProvider;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Pairs this device with one gateway: its endpoint (given when the dialog is opened for a row of the Live view),
 * and the line {@code ./agentchannels gateway pair} printed there or just its token; or, for a gateway that asks
 * for no token, the person's explicit trust in it, with a warning of what that means. The result is a
 * {@link Pairing}, stored by {@link #store}.
 */
public final class PairGatewayDialog extends TitleAreaDialog {

    private final String givenEndpoint;
    private Text endpoint;
    private Text token;
    private Button withoutToken;
    private Pairing pairing;

    /** @param endpoint the gateway to pair, or empty to let the person enter it */
    public PairGatewayDialog(Shell parent, String endpoint) {
        super(parent);
        this.givenEndpoint = endpoint == null ? "" : endpoint.strip();
    }

    /**
     * The pairing the dialog's fields describe.
     *
     * @param endpointText the endpoint field; empty to take the endpoint of a pasted pairing line
     * @param tokenText a pairing line ({@code <endpoint> <token>}) or a token
     * @param trustWithoutToken whether the person trusts the gateway without a token
     * @throws IllegalArgumentException with a message for the person, never quoting the token
     */
    public static Pairing pairingOf(String endpointText, String tokenText, boolean trustWithoutToken) {
        String wanted = endpointText.strip();
        String text = tokenText.strip();
        Pairing line = null;
        if (!trustWithoutToken && text.contains(" ")) {
            try {
                line = Pairing.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Messages.PairDialog_noToken, e);
            }
            if (line.isWithoutToken()) {
                throw new IllegalArgumentException(Messages.PairDialog_noToken); // trust is given by the check box alone
            }
            if (wanted.isEmpty()) {
                wanted = line.endpoint();
            }
        }
        if (!GatewayEndpoints.isDialable(wanted)) {
            throw new IllegalArgumentException(Messages.PairDialog_badEndpoint);
        }
        String key = GatewayEndpoints.parse(wanted).toString();
        if (trustWithoutToken) {
            return Pairing.withoutToken(key);
        }
        if (line != null) {
            if (!GatewayEndpoints.parse(line.endpoint()).toString().equals(key)) {
                throw new IllegalArgumentException(NLS.bind(Messages.PairDialog_otherEndpoint, line.endpoint()));
            }
            return new Pairing(key, line.token());
        }
        try {
            return Pairing.parse(key + " " + text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Messages.PairDialog_noToken, e);
        }
    }

    /**
     * Stores {@code pairing} in {@code store}; a failure is logged and shown.
     *
     * @return whether it was stored
     */
    public static boolean store(Shell shell, TokenStore store, Pairing pairing) {
        try {
            store.put(pairing);
            return true;
        } catch (TokenStore.TokenStoreException e) {
            ILog.of(PairGatewayDialog.class).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID,
                    "storing the pairing of " + GatewayEndpoints.redact(pairing.endpoint()) + " failed", e));
            MessageDialog.openError(shell, Messages.Pairing_addTitle, NLS.bind(Messages.Pairing_storeFailed, e.getMessage()));
            return false;
        }
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(Messages.Pairing_addTitle);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        Composite fields = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(fields);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(fields);
        new Label(fields, SWT.NONE).setText(Messages.PairDialog_endpoint);
        endpoint = new Text(fields, SWT.BORDER | (givenEndpoint.isEmpty() ? SWT.NONE : SWT.READ_ONLY));
        endpoint.setText(givenEndpoint);
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(endpoint);
        new Label(fields, SWT.NONE).setText(Messages.PairDialog_token);
        token = new Text(fields, SWT.BORDER | SWT.PASSWORD); // a token is never shown
        GridDataFactory.fillDefaults().grab(true, false).applyTo(token);
        withoutToken = new Button(fields, SWT.CHECK);
        withoutToken.setText(Messages.PairDialog_withoutToken);
        GridDataFactory.fillDefaults().span(2, 1).indent(0, 8).applyTo(withoutToken);
        endpoint.addModifyListener(e -> validate());
        token.addModifyListener(e -> validate());
        withoutToken.addListener(SWT.Selection, e -> validate());
        return area;
    }

    @Override
    public void create() {
        super.create();
        setTitle(Messages.Pairing_addTitle);
        validate();
        (givenEndpoint.isEmpty() ? endpoint : token).setFocus();
    }

    private void validate() {
        boolean trust = withoutToken.getSelection();
        token.setEnabled(!trust);
        if (trust) {
            setMessage(Messages.PairDialog_withoutTokenWarning, IMessageProvider.WARNING);
        } else {
            setMessage(Messages.PairDialog_message);
        }
        pairing = null;
        boolean nothingYet = token.getText().isBlank() && !trust;
        try {
            pairing = pairingOf(endpoint.getText(), token.getText(), trust);
            setErrorMessage(null);
        } catch (IllegalArgumentException e) {
            setErrorMessage(nothingYet ? null : e.getMessage());
        }
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setEnabled(pairing != null);
        }
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setEnabled(pairing != null);
    }

    /** The pairing entered, once OK was pressed (or the fields describe one); null otherwise. */
    public Pairing pairing() {
        return pairing;
    }

    /** For tests: the endpoint field. */
    public Text endpointField() {
        return endpoint;
    }

    /** For tests: the field of the pairing line or token. */
    public Text tokenField() {
        return token;
    }

    /** For tests: the "trust it without a token" check box. */
    public Button withoutTokenButton() {
        return withoutToken;
    }

    /** For tests: the OK button. */
    public Button okButton() {
        return getButton(IDialogConstants.OK_ID);
    }
}
