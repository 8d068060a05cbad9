package org.agentchannels.ui.internal.preferences;

import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.Pairing;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.ServiceHandle;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.jface.window.Window;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.List;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * The gateways this device may dial, each with its token in Secure Storage (never in preferences, never
 * shown). Add takes the line {@code ./agentchannels gateway pair} prints on the other device; Remove forgets.
 */
public final class PairedGatewaysPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {

    private TokenStore store;
    private ServiceHandle<TokenStore> storeService;
    private List endpoints;

    public PairedGatewaysPreferencePage() {
        setDescription(Messages.Pairing_description);
        noDefaultAndApplyButton();
    }

    /** For tests: a token store other than the workbench's Secure Storage. */
    public PairedGatewaysPreferencePage(TokenStore store) {
        this();
        this.store = store;
    }

    @Override
    public void init(IWorkbench workbench) {
        if (store == null) {
            // registered when the connector bundle starts, long before a person opens the preferences
            storeService = ServiceHandle.open(PairedGatewaysPreferencePage.class, TokenStore.class);
            store = storeService.now().orElse(null);
        }
    }

    @Override
    public void dispose() {
        if (storeService != null) {
            storeService.close();
        }
        super.dispose();
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(page);
        endpoints = new List(page, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL);
        GridDataFactory.fillDefaults().grab(true, true).hint(320, 160).applyTo(endpoints);
        Composite buttons = new Composite(page, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(buttons);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(buttons);
        Button add = new Button(buttons, SWT.PUSH);
        add.setText(Messages.Pairing_add);
        GridDataFactory.fillDefaults().applyTo(add);
        Button remove = new Button(buttons, SWT.PUSH);
        remove.setText(Messages.Pairing_remove);
        GridDataFactory.fillDefaults().applyTo(remove);
        Label hint = new Label(page, SWT.WRAP);
        hint.setText(Messages.Pairing_hint);
        GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(320, SWT.DEFAULT).applyTo(hint);
        add.addListener(SWT.Selection, e -> addPairing());
        remove.addListener(SWT.Selection, e -> removeSelected());
        reload();
        return page;
    }

    private void addPairing() {
        InputDialog dialog = new InputDialog(getShell(), Messages.Pairing_addTitle, Messages.Pairing_addPrompt, "", text -> {
            try {
                Pairing.parse(text);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        if (dialog.open() == Window.OK) {
            pair(dialog.getValue());
        }
    }

    /** Stores the pairing of a line; the caller validated it. Public for tests. */
    public boolean pair(String line) {
        Pairing pairing;
        try {
            pairing = Pairing.parse(line);
        } catch (IllegalArgumentException e) {
            setErrorMessage(e.getMessage());
            return false;
        }
        if (store == null) {
            setErrorMessage(Messages.Pairing_noStore);
            return false;
        }
        try {
            store.put(pairing.endpoint(), pairing.token(), pairing.hermes());
            setErrorMessage(null);
            reload();
            return true;
        } catch (TokenStore.TokenStoreException e) {
            ILog.of(getClass()).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID,
                    "storing the token of " + pairing.endpoint() + " failed", e));
            MessageDialog.openError(getShell(), Messages.Pairing_addTitle, NLS.bind(Messages.Pairing_storeFailed,
                    e.getMessage()));
            return false;
        }
    }

    private void removeSelected() {
        int index = endpoints.getSelectionIndex();
        if (index < 0 || store == null) {
            return;
        }
        try {
            store.remove(endpoints.getItem(index));
            reload();
        } catch (TokenStore.TokenStoreException e) {
            ILog.of(getClass()).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID, "removing a pairing failed", e));
        }
    }

    private void reload() {
        endpoints.removeAll();
        if (store == null) {
            setErrorMessage(Messages.Pairing_noStore);
            return;
        }
        try {
            for (String endpoint : store.endpoints()) {
                endpoints.add(endpoint);
            }
        } catch (TokenStore.TokenStoreException e) {
            setErrorMessage(NLS.bind(Messages.Pairing_storeFailed, e.getMessage()));
        }
    }

    /** For tests: the endpoints listed. */
    public String[] listedEndpoints() {
        return endpoints.getItems();
    }
}
