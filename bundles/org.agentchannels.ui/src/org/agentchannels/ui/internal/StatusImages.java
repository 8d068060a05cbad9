package org.agentchannels.ui.internal;

import org.agentchannels.core.presence.SessionActivity;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;

/**
 * The status marks of sessions, drawn once per owner and disposed with it: a green dot for working (in a
 * bright and a dim shade, alternated to pulse), an amber ring with a dot for needs input, a red one for needs
 * sign-in, a blue ring for an agent starting, a grey ring for idle.
 */
public final class StatusImages {

    private static final int SIZE = 16;

    private final Image working;
    private final Image workingDim;
    private final Image needsInput;
    private final Image needsSignIn;
    private final Image starting;
    private final Image idle;

    public StatusImages(Display display) {
        working = dot(display, new RGB(46, 160, 67), true, false);
        workingDim = dot(display, new RGB(150, 210, 160), true, false);
        needsInput = dot(display, new RGB(219, 138, 0), true, true);
        needsSignIn = dot(display, new RGB(207, 34, 46), true, true);
        starting = dot(display, new RGB(52, 120, 246), false, false);
        idle = dot(display, new RGB(150, 150, 150), false, false);
    }

    /** @param pulse which phase of the pulse a working mark shows */
    public Image of(SessionActivity activity, boolean pulse) {
        return switch (activity) {
            case WORKING -> pulse ? workingDim : working;
            case NEEDS_INPUT -> needsInput;
            case NEEDS_SIGN_IN -> needsSignIn;
            case STARTING -> starting;
            default -> idle;
        };
    }

    /**
     * Draws the mark pixel by pixel with an alpha channel: smooth edges on any background, light or dark.
     *
     * @param ring a ring around a smaller dot (needs input); otherwise a filled dot, or a thin ring when not filled
     */
    private static Image dot(Display display, RGB rgb, boolean filled, boolean ring) {
        ImageData data = new ImageData(SIZE, SIZE, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
        double c = (SIZE - 1) / 2.0;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double d = Math.hypot(x - c, y - c);
                double coverage;
                if (ring) {
                    coverage = Math.max(band(d, 5.0, 6.5), disc(d, 2.6));
                } else if (filled) {
                    coverage = disc(d, 5.0);
                } else {
                    coverage = band(d, 3.6, 4.8);
                }
                data.setPixel(x, y, data.palette.getPixel(rgb));
                data.setAlpha(x, y, (int) Math.round(255 * coverage));
            }
        }
        return new Image(display, data);
    }

    /** How much of a pixel at distance {@code d} lies inside a disc of {@code radius} (a one-pixel ramp). */
    private static double disc(double d, double radius) {
        return Math.max(0, Math.min(1, radius + 0.5 - d));
    }

    private static double band(double d, double inner, double outer) {
        return Math.max(0, Math.min(disc(d, outer), 1 - disc(d, inner)));
    }

    public void dispose() {
        working.dispose();
        workingDim.dispose();
        needsInput.dispose();
        needsSignIn.dispose();
        starting.dispose();
        idle.dispose();
    }
}
