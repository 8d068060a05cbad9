package org.agentchannels.ui.internal.chat;

import java.util.List;

import org.agentchannels.core.protocol.OfferedAgent;
import org.agentchannels.ui.internal.Messages;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;

/**
 * New Session on a gateway: which of the agents it offers the session runs (its default preselected) and the
 * directory on its machine the session works in (its workspaces offered as choices; empty for its default).
 * Everything it shows came with the gateway's ready frame: opening it asks the network nothing.
 */
public final class NewSessionDialog extends TitleAreaDialog {

    private final String host;
    private final List<OfferedAgent> agents;
    private final List<String> workspaces;
    private Combo agent;
    private Combo directory;
    private String chosenAgent = "";
    private String chosenDirectory = "";

    /**
     * @param host the gateway's device, as the person knows it
     * @param agents what the gateway offers, the default first; empty when it offers no choice
     * @param workspaces the gateway's workspace roots, the default first
     */
    public NewSessionDialog(Shell parent, String host, List<OfferedAgent> agents, List<String> workspaces) {
        super(parent);
        this.host = host;
        this.agents = List.copyOf(agents);
        this.workspaces = List.copyOf(workspaces);
    }

    /**
     * Whether {@code path} is absolute on the gateway's machine, whichever system that runs: a Unix path, a
     * Windows drive path or a UNC path. The gateway checks the rest (that it exists inside a workspace).
     */
    public static boolean isAbsolute(String path) {
        return path.startsWith("/") || path.startsWith("\\\\") || path.matches("[A-Za-z]:[\\\\/].*");
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(Messages.NewSessionDialog_title);
    }

    @Override
    protected boolean isResizable() {
        return true;
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        Composite fields = new Composite(area, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).margins(10, 10).applyTo(fields);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(fields);
        if (!agents.isEmpty()) {
            new Label(fields, SWT.NONE).setText(Messages.NewSessionDialog_agent);
            agent = new Combo(fields, SWT.READ_ONLY | SWT.DROP_DOWN);
            for (OfferedAgent a : agents) {
                agent.add(agent.getItemCount() == 0 ? NLS.bind(Messages.NewSessionDialog_defaultAgent, a.label()) : a.label());
            }
            agent.select(0);
            GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(agent);
        }
        new Label(fields, SWT.NONE).setText(Messages.NewSessionDialog_directory);
        directory = new Combo(fields, SWT.DROP_DOWN | SWT.BORDER);
        workspaces.forEach(directory::add);
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(directory);
        new Label(fields, SWT.NONE);
        Label hint = new Label(fields, SWT.WRAP);
        hint.setText(NLS.bind(Messages.NewSessionDialog_directoryHint, host));
        GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(hint);
        directory.addModifyListener(e -> validate());
        return area;
    }

    @Override
    public void create() {
        super.create();
        setTitle(Messages.NewSessionDialog_title);
        setMessage(NLS.bind(Messages.NewSessionDialog_message, host));
        validate();
        (agent != null ? (Control) agent : directory).setFocus();
    }

    private void validate() {
        String path = directory.getText().strip();
        boolean ok = path.isEmpty() || isAbsolute(path);
        setErrorMessage(ok ? null : NLS.bind(Messages.NewSessionDialog_notAbsolute, host));
        Button button = getButton(IDialogConstants.OK_ID);
        if (button != null) {
            button.setEnabled(ok);
        }
    }

    @Override
    protected void okPressed() {
        chosenAgent = agent == null ? "" : agents.get(Math.max(0, agent.getSelectionIndex())).id();
        chosenDirectory = directory.getText().strip();
        super.okPressed();
    }

    /** The id of the agent chosen; empty when the gateway offers no choice. Set once OK was pressed. */
    public String chosenAgent() {
        return chosenAgent;
    }

    /** The working directory chosen; empty for the gateway's default. Set once OK was pressed. */
    public String chosenDirectory() {
        return chosenDirectory;
    }

    /** For tests: the agents' combo, null when the gateway offers no choice. */
    public Combo agentCombo() {
        return agent;
    }

    /** For tests. */
    public Combo directoryCombo() {
        return directory;
    }

    /** For tests. */
    public Button okButton() {
        return getButton(IDialogConstants.OK_ID);
    }
}
