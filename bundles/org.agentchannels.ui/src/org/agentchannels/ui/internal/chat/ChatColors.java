package org.agentchannels.ui.internal.chat;

import org.eclipse.jface.preference.JFacePreferences;
import org.eclipse.jface.resource.ColorRegistry;
import org.eclipse.jface.util.IPropertyChangeListener;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.themes.IThemeManager;

/**
 * The chat's colours, from the workbench theme's colour registry (defined in plugin.xml, set by the Dark theme's
 * stylesheet, changed by a person in Colors and Fonts): read again, and {@code onChange} run, whenever the theme
 * or one of them changes. UI thread.
 */
final class ChatColors {

    static final String QUIET = "org.agentchannels.ui.chat.quiet";
    static final String FAILED = "org.agentchannels.ui.chat.failed";
    static final String RUNNING = "org.agentchannels.ui.chat.running";
    static final String ADDED = "org.agentchannels.ui.chat.added";
    static final String ADDED_BACKGROUND = "org.agentchannels.ui.chat.addedBackground";
    static final String REMOVED = "org.agentchannels.ui.chat.removed";
    static final String REMOVED_BACKGROUND = "org.agentchannels.ui.chat.removedBackground";
    static final String CODE_BACKGROUND = "org.agentchannels.ui.chat.codeBackground";

    private final Display display;
    private final IThemeManager themes;
    private final IPropertyChangeListener listener;
    Color quiet;
    Color failed;
    Color running;
    Color added;
    Color addedBackground;
    /** The shade behind code in answers; none when the theme names none. */
    Color codeBackground;
    Color removed;
    Color removedBackground;
    Color link;

    ChatColors(Display display, Runnable onChange) {
        this.display = display;
        themes = PlatformUI.getWorkbench().getThemeManager();
        read();
        listener = event -> {
            String property = event.getProperty();
            if (IThemeManager.CHANGE_CURRENT_THEME.equals(property) || property.startsWith("org.agentchannels.ui.chat.")
                    || JFacePreferences.HYPERLINK_COLOR.equals(property)) {
                if (!display.isDisposed()) {
                    display.asyncExec(() -> {
                        read();
                        onChange.run();
                    });
                }
            }
        };
        themes.addPropertyChangeListener(listener);
    }

    private void read() {
        ColorRegistry registry = themes.getCurrentTheme().getColorRegistry();
        quiet = color(registry, QUIET, SWT.COLOR_WIDGET_DARK_SHADOW);
        failed = color(registry, FAILED, SWT.COLOR_DARK_RED);
        running = color(registry, RUNNING, SWT.COLOR_LINK_FOREGROUND);
        added = color(registry, ADDED, SWT.COLOR_DARK_GREEN);
        addedBackground = registry.get(ADDED_BACKGROUND); // none rather than a wrong one
        removed = color(registry, REMOVED, SWT.COLOR_DARK_RED);
        removedBackground = registry.get(REMOVED_BACKGROUND);
        codeBackground = registry.get(CODE_BACKGROUND);
        link = color(registry, JFacePreferences.HYPERLINK_COLOR, SWT.COLOR_LINK_FOREGROUND);
    }

    private Color color(ColorRegistry registry, String id, int fallback) {
        Color c = registry.get(id);
        return c != null ? c : display.getSystemColor(fallback);
    }

    void dispose() {
        themes.removePropertyChangeListener(listener);
    }
}
