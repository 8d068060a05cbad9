package org.agentchannels.ui.internal.preferences;

import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.PairingRedemption;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.Pairing;
import org.agentchannels.core.PairingInvitation;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.GatewayFailures;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
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
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Pairs this device with one gateway: its endpoint (given when the dialog is opened for a row of the Live view),
 * and the line {@code ./agentchannels gateway pair} printed there: the invitation
 * {@code agentchannels://host:port?fp=...&code=...} ({@link PairingInvitation}), or an older
 * {@code <endpoint> <token> [fp=...]} line or just its token; or, for a gateway that asks for no token, the person's
 * explicit trust in it, with a warning of what that means. An invitation shows the gateway's address and its
 * certificate's fingerprint, to compare with {@code gateway status} on that device; OK then redeems the code in a
 * Job (the dialog stays open, saying why, when that fails) and stores the device token it gives with the gateway's
 * device name. OK stores what the dialog describes in the {@link TokenStore} and closes only once it is stored.
 */
public final class PairGatewayDialog extends TitleAreaDialog {

    private final String givenEndpoint;
    private final TokenStore store;
    private final String deviceName;
    private Text endpoint;
    private Text token;
    private Button withoutToken;
    private Composite invitationFields;
    private Text gatewayShown;
    private Text fingerprintShown;
    private Pairing pairing;
    private PairingInvitation invitation;
    private volatile Job redemption;
    private PairingRedemption.Redeemed redeemed;

    /**
     * @param endpoint the gateway to pair, or empty to let the person enter it
     * @param store where the pairing is stored; {@code null} when the token store is not available (nothing can be)
     * @param deviceName the name this device pairs as (the connector's {@code localDeviceName()}): the gateway
     *        attributes this device's prompts to it
     */
    public PairGatewayDialog(Shell parent, String endpoint, TokenStore store, String deviceName) {
        super(parent);
        this.givenEndpoint = endpoint == null ? "" : endpoint.strip();
        this.store = store;
        this.deviceName = deviceName == null ? "" : deviceName;
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
            return new Pairing(key, line.token(), line.hermes(), line.fingerprint());
        }
        try {
            return Pairing.parse(key + " " + text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Messages.PairDialog_noToken, e);
        }
    }

    /**
     * The invitation a pasted {@code agentchannels://} line holds, for the gateway being paired.
     *
     * @param endpointText the endpoint field; empty for any gateway
     * @throws IllegalArgumentException with a message for the person, never quoting the code
     */
    public static PairingInvitation invitationOf(String endpointText, String line) {
        PairingInvitation parsed;
        try {
            parsed = PairingInvitation.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Messages.PairDialog_badInvitation, e);
        }
        String wanted = endpointText.strip();
        if (!wanted.isEmpty() && (!GatewayEndpoints.isDialable(wanted)
                || !GatewayEndpoints.parse(wanted).toString().equals(GatewayEndpoints.parse(parsed.endpoint()).toString()))) {
            throw new IllegalArgumentException(NLS.bind(Messages.PairDialog_otherEndpoint, parsed.endpoint()));
        }
        return parsed;
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
        invitationFields = new Composite(fields, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(invitationFields);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).exclude(true).applyTo(invitationFields);
        invitationFields.setVisible(false);
        new Label(invitationFields, SWT.NONE).setText(Messages.PairDialog_gateway);
        gatewayShown = new Text(invitationFields, SWT.READ_ONLY); // selectable, to compare and copy
        GridDataFactory.fillDefaults().grab(true, false).applyTo(gatewayShown);
        new Label(invitationFields, SWT.NONE).setText(Messages.PairDialog_fingerprint);
        fingerprintShown = new Text(invitationFields, SWT.READ_ONLY);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(fingerprintShown);
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
        if (redemption != null) {
            return; // the fields are disabled meanwhile
        }
        boolean trust = withoutToken.getSelection();
        token.setEnabled(!trust);
        if (trust) {
            setMessage(Messages.PairDialog_withoutTokenWarning, IMessageProvider.WARNING);
        } else {
            setMessage(Messages.PairDialog_message);
        }
        pairing = null;
        invitation = null;
        boolean nothingYet = token.getText().isBlank() && !trust;
        try {
            if (!trust && PairingInvitation.isInvitation(token.getText())) {
                invitation = invitationOf(endpoint.getText(), token.getText());
                setMessage(NLS.bind(Messages.PairDialog_compareFingerprint, where(invitation)));
            } else {
                pairing = pairingOf(endpoint.getText(), token.getText(), trust);
            }
            setErrorMessage(store == null ? Messages.Pairing_noStore : null);
        } catch (IllegalArgumentException e) {
            setErrorMessage(nothingYet ? null : e.getMessage());
        }
        showInvitation();
        updateOk();
    }

    /** The gateway's address and fingerprint, shown while the field holds an invitation. */
    private void showInvitation() {
        boolean shown = invitation != null;
        gatewayShown.setText(shown ? where(invitation) : "");
        fingerprintShown.setText(shown ? invitation.fingerprint() : "");
        if (invitationFields.getVisible() != shown) {
            invitationFields.setVisible(shown);
            ((org.eclipse.swt.layout.GridData) invitationFields.getLayoutData()).exclude = !shown;
            invitationFields.getParent().layout(true, true);
            getShell().layout(true, true);
        }
    }

    private static String where(PairingInvitation invitation) {
        return invitation.host() + ":" + invitation.port();
    }

    private void updateOk() {
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null) {
            ok.setEnabled(store != null && redemption == null && (pairing != null || invitation != null));
        }
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        updateOk();
    }

    /** OK: stores the pairing described, or redeems the invitation's code first; closes once it is stored. */
    @Override
    protected void okPressed() {
        if (store == null || redemption != null) {
            return;
        }
        if (invitation != null) {
            redeem(invitation);
        } else if (pairing != null && store(getShell(), store, pairing)) {
            super.okPressed();
        }
    }

    /**
     * Redeems the code in a Job, stores the device token with the gateway's device name there too (Secure Storage
     * is never written on the UI thread), then closes; on failure the dialog stays open and says why.
     */
    private void redeem(PairingInvitation what) {
        String where = where(what);
        setErrorMessage(null);
        setMessage(NLS.bind(Messages.PairDialog_redeeming, where));
        setFieldsEnabled(false);
        Display display = getShell().getDisplay();
        Job job = Job.create(NLS.bind(Messages.PairDialog_redeeming, where), monitor -> {
            String failure = NLS.bind(Messages.PairDialog_unreachable, where); // unless it ends otherwise
            PairingRedemption.Redeemed done = null;
            try {
                done = PairingRedemption.redeem(what, deviceName).get(PairingRedemption.TIMEOUT.toSeconds() + 10,
                        TimeUnit.SECONDS);
                store.put(done.pairing());
                store.noteGatewayDevice(done.pairing().endpoint(), done.gatewayDevice());
                failure = null;
            } catch (TokenStore.TokenStoreException e) {
                ILog.of(PairGatewayDialog.class).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID,
                        "storing the pairing of " + where + " failed", e));
                failure = NLS.bind(Messages.Pairing_storeFailed, e.getMessage());
                done = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = NLS.bind(Messages.PairDialog_unreachable, where);
            } catch (Exception e) {
                GatewayException why = GatewayException.of(e instanceof java.util.concurrent.TimeoutException
                        ? new GatewayException(GatewayException.Kind.TIMEOUT, "no answer") : e);
                failure = GatewayFailures.pairingFailed(why, where);
            } finally {
                // whatever ends the Job (an Error too), the dialog hears of it and is never left waiting
                PairingRedemption.Redeemed result = failure == null ? done : null;
                String message = failure;
                if (!display.isDisposed()) {
                    display.asyncExec(() -> redeemed(result, message));
                }
            }
        });
        job.setSystem(true);
        redemption = job;
        updateOk();
        job.schedule();
    }

    /** While a code is redeemed the dialog stays: its result is stored whatever the dialog does meanwhile. */
    @Override
    protected void cancelPressed() {
        if (redemption == null) {
            super.cancelPressed();
        }
    }

    @Override
    protected void handleShellCloseEvent() {
        if (redemption == null) {
            super.handleShellCloseEvent();
        }
    }

    /** On the UI thread: the redemption's end. */
    private void redeemed(PairingRedemption.Redeemed result, String failure) {
        redemption = null;
        Shell shell = getShell();
        if (shell == null || shell.isDisposed()) {
            return; // closed meanwhile; what was stored is listed on the Paired Gateways page
        }
        setFieldsEnabled(true);
        if (result != null) {
            redeemed = result;
            pairing = result.pairing();
            setReturnCode(OK);
            close();
            return;
        }
        validate();
        setErrorMessage(failure);
    }

    private void setFieldsEnabled(boolean enabled) {
        endpoint.setEnabled(enabled);
        token.setEnabled(enabled && !withoutToken.getSelection());
        withoutToken.setEnabled(enabled);
        Button cancel = getButton(IDialogConstants.CANCEL_ID);
        if (cancel != null) {
            cancel.setEnabled(enabled);
        }
        updateOk();
    }

    /** What redeeming the invitation gave (already stored), once it did; null otherwise. */
    public PairingRedemption.Redeemed redeemed() {
        return redeemed;
    }

    /** For tests: whether a code is being redeemed. */
    public boolean isRedeeming() {
        return redemption != null;
    }

    /** For tests: the gateway's address as shown for a pasted invitation; empty otherwise. */
    public String shownGateway() {
        return gatewayShown.getText();
    }

    /** For tests: the fingerprint shown for a pasted invitation; empty otherwise. */
    public String shownFingerprint() {
        return fingerprintShown.getText();
    }

    /** For tests: whether the gateway's address and fingerprint are shown. */
    public boolean showsInvitation() {
        return invitationFields.getVisible();
    }

    /**
     * The pairing entered (stored once OK closed the dialog), or the fields describe one; null otherwise, and while
     * the fields hold an invitation not redeemed yet.
     */
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
