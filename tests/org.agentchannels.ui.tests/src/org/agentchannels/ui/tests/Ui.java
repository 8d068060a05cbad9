package org.agentchannels.ui.tests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.agentchannels.tests.support.Await;
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

    static IWorkbenchPage page() {
        return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }
}
