package org.agentchannels.ui.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.agentchannels.connector.TokenStore;
import org.agentchannels.tests.support.Await;
import org.agentchannels.ui.internal.AgentChannelsServices;
import org.agentchannels.ui.internal.ServiceHandle;

import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
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

    /**
     * Runs {@code action} on the first open dialog of {@code type} (inside its own event loop, as a person meets
     * it), then the test goes on when the dialog has closed; a failed assertion closes the dialog and is thrown by
     * {@link #rethrow}. Call it before what opens the dialog.
     */
    static <T extends Window> void whenDialogOpens(Class<T> type, Consumer<T> action, AtomicReference<Throwable> failure) {
        Display display = Display.getCurrent();
        display.asyncExec(new Runnable() {
            private int tries;

            @Override
            public void run() {
                for (Shell shell : display.getShells()) {
                    if (!shell.isDisposed() && type.isInstance(shell.getData())) {
                        T dialog = type.cast(shell.getData());
                        try {
                            action.accept(dialog);
                        } catch (Throwable t) {
                            failure.set(t);
                            dialog.close();
                        }
                        return;
                    }
                }
                if (++tries < 3000) {
                    display.timerExec(10, this); // not open yet: what opens it is on its way
                } else {
                    failure.set(new AssertionError("no " + type.getSimpleName() + " opened"));
                }
            }
        });
    }

    /** What {@link #whenDialogOpens} caught, thrown on the test's thread. */
    static void rethrow(AtomicReference<Throwable> failure) throws Exception {
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }

    /** Every button in {@code control} and below it. */
    static List<Button> buttons(Control control) {
        List<Button> found = new ArrayList<>();
        if (control instanceof Button b && !b.isDisposed()) {
            found.add(b);
        }
        if (control instanceof Composite c && !c.isDisposed()) {
            for (Control child : c.getChildren()) {
                found.addAll(buttons(child));
            }
        }
        return found;
    }
}
