package org.agentchannels.ui.internal;

import org.agentchannels.core.presence.SessionActivity;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;

/**
 * The status marks of sessions, drawn once per owner and disposed with it: a green dot for working (in a
 * bright and a dim shade, alternated to pulse), an amber ring with a dot for needs input, a grey ring for idle.
 */
public final class StatusImages {

    private static final int SIZE = 16;

    private final Image working;
    private final Image workingDim;
    private final Image needsInput;
    private final Image idle;

    public StatusImages(Display display) {
        working = dot(display, new RGB(46, 160, 67), true, false);
        workingDim = dot(display, new RGB(150, 210, 160), true, false);
        needsInput = dot(display, new RGB(219, 138, 0), true, true);
        idle = dot(display, new RGB(150, 150, 150), false, false);
    }

    /** @param pulse which phase of the pulse a working mark shows */
    public Image of(SessionActivity activity, boolean pulse) {
        return switch (activity) {
            case WORKING -> pulse ? workingDim : working;
            case NEEDS_INPUT -> needsInput;
            default -> idle;
        };
    }

    private static Image dot(Display display, RGB rgb, boolean filled, boolean ring) {
        ImageData transparent = new ImageData(SIZE, SIZE, 24, new org.eclipse.swt.graphics.PaletteData(0xFF0000, 0xFF00, 0xFF));
        transparent.transparentPixel = 0;
        Image image = new Image(display, transparent);
        GC gc = new GC(image);
        Color color = new Color(display, rgb);
        try {
            gc.setAntialias(SWT.ON);
            gc.setBackground(color);
            gc.setForeground(color);
            gc.setLineWidth(2);
            if (ring) {
                gc.drawOval(2, 2, SIZE - 5, SIZE - 5);
                gc.fillOval(5, 5, SIZE - 10, SIZE - 10);
            } else if (filled) {
                gc.fillOval(3, 3, SIZE - 6, SIZE - 6);
            } else {
                gc.drawOval(4, 4, SIZE - 9, SIZE - 9);
            }
        } finally {
            gc.dispose();
            color.dispose();
        }
        return image;
    }

    public void dispose() {
        working.dispose();
        workingDim.dispose();
        needsInput.dispose();
        idle.dispose();
    }
}
