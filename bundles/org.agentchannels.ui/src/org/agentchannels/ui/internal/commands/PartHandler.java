package org.agentchannels.ui.internal.commands;

import java.util.function.BooleanSupplier;

import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.ui.IWorkbenchPartSite;

/**
 * A command's handler for one part, put into that part's own context. Key bindings reach it while the part
 * is active, and the part's toolbar and menus reach it even while another part is: a handler activated
 * through the site's {@code IHandlerService} is tied to the part being active, which greys out the toolbar
 * of every view but the active one. The part calls {@link #update} when what decides the enablement changes.
 */
public final class PartHandler {

    private final Runnable action;
    private final BooleanSupplier enabled;
    private final IEventBroker events;

    private PartHandler(Runnable action, BooleanSupplier enabled, IEventBroker events) {
        this.action = action;
        this.enabled = enabled;
        this.events = events;
    }

    /** Creates the handler and activates it for {@code commandId} in the part of {@code site}. */
    public static PartHandler activate(IWorkbenchPartSite site, String commandId, Runnable action, BooleanSupplier enabled) {
        IEclipseContext context = site.getService(IEclipseContext.class);
        PartHandler handler = new PartHandler(action, enabled, context.get(IEventBroker.class));
        context.get(EHandlerService.class).activateHandler(commandId, handler);
        return handler;
    }

    /** Activates an always-enabled handler. */
    public static PartHandler activate(IWorkbenchPartSite site, String commandId, Runnable action) {
        return activate(site, commandId, action, () -> true);
    }

    @CanExecute
    public boolean canExecute() {
        return enabled.getAsBoolean();
    }

    @Execute
    public void execute() {
        if (enabled.getAsBoolean()) {
            action.run();
        }
    }

    /** Asks menus, toolbar buttons and key bindings to look at the enablement again. */
    public void update() {
        if (events != null) {
            events.send(UIEvents.REQUEST_ENABLEMENT_UPDATE_TOPIC, UIEvents.ALL_ELEMENT_ID);
        }
    }
}
