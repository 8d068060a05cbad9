package org.agentchannels.ui.internal;

import java.util.function.Function;

import org.eclipse.swt.accessibility.ACC;
import org.eclipse.swt.accessibility.AccessibleListener;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Item;

/**
 * What a screen reader says for the rows of a tree or table: a row's status shows as a coloured mark that
 * has no words of its own, so each row's accessible name is its text with its status said in words.
 */
public final class AccessibleNames {

    private AccessibleNames() {
    }

    /** {@code nameOf} gives a row's element its spoken name, or {@code null} to leave the row's text. */
    public static void forRows(Control control, Function<Object, String> nameOf) {
        control.getAccessible().addAccessibleListener(AccessibleListener.getNameAdapter(e -> {
            if (e.childID != ACC.CHILDID_SELF && !control.isDisposed()
                    && control.getDisplay().findWidget(control, e.childID) instanceof Item item && !item.isDisposed()) {
                String name = nameOf.apply(item.getData());
                if (name != null) {
                    e.result = name;
                }
            }
        }));
    }
}
