package org.agentchannels.gateway.internal;

import java.nio.charset.Charset;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * A QR code drawn with text, for a phone's camera to read off a terminal (ZXing encodes it). Light modules are drawn
 * and dark ones left blank, as {@code qrencode -t UTF8} does, so it reads on the usual light-on-dark terminal; two rows
 * of modules share a line of half blocks. A terminal whose character set has no block characters gets {@code #}s, one
 * line per row of modules.
 */
public final class TerminalQrCode {

    /** Modules of light border around the code; readers want some. */
    private static final int QUIET_ZONE = 2;

    private TerminalQrCode() {
    }

    /** The modules of {@code text}'s code, {@code true} for dark, quiet zone included. */
    public static boolean[][] modules(String text) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalArgumentException("too long for a QR code", e);
        }
        boolean[][] dark = new boolean[matrix.getHeight()][matrix.getWidth()];
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                dark[y][x] = matrix.get(x, y);
            }
        }
        return dark;
    }

    /** {@code text}'s code as lines for a terminal printing in {@code charset}. */
    public static String render(String text, Charset charset) {
        boolean[][] dark = modules(text);
        StringBuilder out = new StringBuilder();
        if (charset.newEncoder().canEncode("\u2588\u2580\u2584")) {
            for (int y = 0; y < dark.length; y += 2) {
                for (int x = 0; x < dark[y].length; x++) {
                    boolean top = !dark[y][x];
                    boolean bottom = y + 1 >= dark.length || !dark[y + 1][x]; // past the last row: more quiet zone
                    out.append(top && bottom ? '\u2588' : top ? '\u2580' : bottom ? '\u2584' : ' ');
                }
                out.append('\n');
            }
        } else {
            for (boolean[] row : dark) {
                for (boolean module : row) {
                    out.append(module ? "  " : "##");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
