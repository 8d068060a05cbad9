package org.agentchannels.ui.internal;

import org.eclipse.ui.IPartListener2;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchPartReference;

/**
 * Whether a part is showing. A hidden part lays nothing out; when it shows again, {@code onShown} runs so
 * it can repaint what changed meanwhile.
 */
public final class PartVisibility implements IPartListener2 {

    private final IWorkbenchPart part;
    private final Runnable onShown;
    private volatile boolean visible = true;

    private PartVisibility(IWorkbenchPart part, Runnable onShown) {
        this.part = part;
        this.onShown = onShown;
    }

    /** Starts following {@code part}; call {@link #dispose} when the part is disposed. */
    public static PartVisibility track(IWorkbenchPart part, Runnable onShown) {
        PartVisibility v = new PartVisibility(part, onShown);
        part.getSite().getPage().addPartListener(v);
        return v;
    }

    public boolean isVisible() {
        return visible;
    }

    @Override
    public void partVisible(IWorkbenchPartReference ref) {
        if (ref.getPart(false) == part) {
            visible = true;
            onShown.run();
        }
    }

    @Override
    public void partHidden(IWorkbenchPartReference ref) {
        if (ref.getPart(false) == part) {
            visible = false;
        }
    }

    public void dispose() {
        part.getSite().getPage().removePartListener(this);
    }
}
