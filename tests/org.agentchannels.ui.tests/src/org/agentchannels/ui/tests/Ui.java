package org.agentchannels.ui.tests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.agentchannels.connector.TokenStore;
import org.agentchannels.tests.support.Await;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.ServiceHandle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;

/** Waiting on the UI thread: the condition is checked between rounds of dispatching pending SWT events. */
final class Ui {

    static final Duration WAIT = Duration.ofSeconds(30);

    private Ui() {
    }

    static void pump() {
        Display display = Display.getCurrent();
        while (display.readAndDispatch()) {
            // drain
        }
    }

    static void await(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition, Ui::pump);
    }

    /** The start-up component's services, once Declarative Services has them (the UI keeps dispatching meanwhile). */
    static AgentChannelsServices services() {
        try (ServiceHandle<AgentChannelsServices> handle = ServiceHandle.open(Ui.class, AgentChannelsServices.class)) {
            await("the Agent Channels services", () -> handle.now().isPresent());
            return handle.now().orElseThrow();
        }
    }

    /** The workbench's token store (Secure Storage), where the preference page pairs gateways. */
    static TokenStore tokens() {
        return services().tokens();
    }

    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }
}
