package org.agentchannels.ui.internal.preferences;

import java.util.ArrayList;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.GatewayException;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.ui.internal.GatewayFailures;
import org.agentchannels.core.Pairing;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.ServiceHandle;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
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
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * The gateways this device may dial, each with its token in Secure Storage (never in preferences, never
 * shown) or the person's explicit trust in a gateway that asks for none (marked so): a table of the endpoint, the
 * gateway's device, the pinned fingerprint and when this device last connected to it (all unencrypted entries:
 * reading them decrypts nothing). Add opens the {@link PairGatewayDialog}, which takes the line
 * {@code ./agentchannels gateway pair} prints on the other device; Remove forgets the pairing and what was noted of
 * it. Only a gateway listed here (or this device's own) is ever dialled.
 */
public final class PairedGatewaysPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {

    private TokenStore store;
    private ServiceHandle<TokenStore> storeService;
    /** Says which gateways refused this device's token when last dialled; {@code null} when not running. */
    private GatewayConnector connector;
    private ServiceHandle<GatewayConnector> connectorService;
    private Table endpoints;
    private final java.util.List<String> listed = new ArrayList<>();

    public PairedGatewaysPreferencePage() {
        setDescription(Messages.Pairing_description);
        noDefaultAndApplyButton();
    }

    /** For tests: a token store other than the workbench's Secure Storage. */
    public PairedGatewaysPreferencePage(TokenStore store) {
        this(store, null);
    }

    /** For tests: a token store, and the connector whose refusals the rows show. */
    public PairedGatewaysPreferencePage(TokenStore store, GatewayConnector connector) {
        this();
        this.store = store;
        this.connector = connector;
    }

    @Override
    public void init(IWorkbench workbench) {
        if (store == null) {
            // registered when the connector bundle starts, long before a person opens the preferences
            storeService = ServiceHandle.open(PairedGatewaysPreferencePage.class, TokenStore.class);
            store = storeService.now().orElse(null);
        }
        if (connector == null) {
            connectorService = ServiceHandle.open(PairedGatewaysPreferencePage.class, GatewayConnector.class);
            connector = connectorService.now().orElse(null);
        }
    }

    @Override
    public void dispose() {
        if (storeService != null) {
            storeService.close();
        }
        if (connectorService != null) {
            connectorService.close();
        }
        super.dispose();
    }

    @Override
    protected Control createContents(Composite parent) {
        Composite page = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(page);
        endpoints = new Table(page, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        endpoints.setHeaderVisible(true);
        endpoints.setLinesVisible(true);
        for (String title : new String[] {Messages.Pairing_columnGateway, Messages.Pairing_columnDevice,
                Messages.Pairing_columnFingerprint, Messages.Pairing_columnLastConnected}) {
            new TableColumn(endpoints, SWT.LEFT).setText(title);
        }
        GridDataFactory.fillDefaults().grab(true, true).hint(520, 160).applyTo(endpoints);
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
        endpoints.addListener(SWT.Selection, e -> showSelected());
        reload();
        return page;
    }

    /** Add...: the same dialog as Pair with a Device... in the Live view; it stores what it pairs. */
    private void addPairing() {
        if (store == null) {
            setErrorMessage(Messages.Pairing_noStore);
            return;
        }
        PairGatewayDialog dialog = new PairGatewayDialog(getShell(), "", store, connector == null ? "" : connector.localDeviceName());
        if (dialog.open() == Window.OK) {
            setErrorMessage(null);
            reload();
            showSelected();
        }
    }

    /** Stores the pairing of a line ({@code <endpoint> <token>}); public for tests. */
    public boolean pair(String line) {
        try {
            return pair(Pairing.parse(line));
        } catch (IllegalArgumentException e) {
            setErrorMessage(e.getMessage());
            return false;
        }
    }

    /** Stores {@code pairing}: a token, or the person's trust in a gateway without one; public for tests. */
    public boolean pair(Pairing pairing) {
        if (store == null) {
            setErrorMessage(Messages.Pairing_noStore);
            return false;
        }
        if (!PairGatewayDialog.store(getShell(), store, pairing)) {
            return false;
        }
        setErrorMessage(null);
        reload();
        showSelected(); // a refusal of the token just replaced is old news
        return true;
    }

    private void removeSelected() {
        int index = endpoints.getSelectionIndex();
        if (index < 0 || store == null) {
            return;
        }
        try {
            store.remove(listed.get(index));
            reload();
        } catch (TokenStore.TokenStoreException e) {
            ILog.of(getClass()).log(new Status(IStatus.ERROR, AgentChannelsUi.PLUGIN_ID, "removing a pairing failed", e));
        }
    }

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofLocalizedDateTime(java.time.format.FormatStyle.MEDIUM).withZone(java.time.ZoneId.systemDefault());

    private void reload() {
        endpoints.removeAll();
        listed.clear();
        if (store == null) {
            setErrorMessage(Messages.Pairing_noStore);
            return;
        }
        try {
            for (String endpoint : store.endpoints()) {
                listed.add(endpoint);
                String row = store.isTrustedWithoutToken(endpoint) ? NLS.bind(Messages.Pairing_trustedWithoutToken, endpoint)
                        : endpoint;
                TokenStore.GatewayDetails details = store.details(endpoint);
                TableItem item = new TableItem(endpoints, SWT.NONE);
                item.setText(new String[] {
                        refusal(endpoint).map(why -> NLS.bind(why.kind() == GatewayException.Kind.FORBIDDEN
                                ? Messages.Pairing_originRefused : Messages.Pairing_refused, row)).orElse(row),
                        details.gatewayDevice().isEmpty() ? Messages.Pairing_deviceUnknown : details.gatewayDevice(),
                        store.fingerprint(endpoint).orElse(Messages.Pairing_noFingerprint),
                        details.lastConnected().map(WHEN::format).orElse(Messages.Pairing_never)});
            }
        } catch (TokenStore.TokenStoreException e) {
            setErrorMessage(NLS.bind(Messages.Pairing_storeFailed, e.getMessage()));
        }
        for (TableColumn column : endpoints.getColumns()) {
            column.pack();
        }
    }

    /** A refusal of this device's token (or origin) by the gateway at {@code endpoint} when it was last dialled. */
    private java.util.Optional<GatewayException> refusal(String endpoint) {
        return connector == null ? java.util.Optional.empty() : connector.refusal(endpoint);
    }

    /** Selecting a refused gateway says why, and how to pair it again, in the page's message line. */
    private void showSelected() {
        int index = endpoints.getSelectionIndex();
        java.util.Optional<GatewayException> why = index < 0 ? java.util.Optional.empty() : refusal(listed.get(index));
        setMessage(why.map(e -> GatewayFailures.refused(e.kind(), GatewayEndpoints.redact(listed.get(index)))).orElse(null),
                why.isPresent() ? WARNING : NONE);
    }

    /** For tests: the message the page shows. */
    public String shownMessage() {
        return getMessage();
    }

    /** For tests: selects a row as a click would. */
    public void select(int index) {
        endpoints.select(index);
        showSelected();
    }

    /** For tests: the endpoints listed. */
    public String[] listedEndpoints() {
        return listed.toArray(String[]::new);
    }

    /** For tests: the rows as shown, their Gateway column. */
    public String[] shownRows() {
        return java.util.Arrays.stream(endpoints.getItems()).map(item -> item.getText(0)).toArray(String[]::new);
    }

    /** For tests: row {@code index} as shown, every column: gateway, device, fingerprint, last connected. */
    public String[] shownRow(int index) {
        TableItem item = endpoints.getItem(index);
        return new String[] {item.getText(0), item.getText(1), item.getText(2), item.getText(3)};
    }

    /** For tests: Remove on row {@code index}, as its button does. */
    public void removeRow(int index) {
        endpoints.select(index);
        removeSelected();
    }

    /** For tests: the Add... button's dialog, as its button opens it. */
    public void add() {
        addPairing();
    }
}
