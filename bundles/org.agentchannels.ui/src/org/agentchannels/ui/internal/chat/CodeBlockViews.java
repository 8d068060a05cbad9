package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.agentchannels.ui.internal.Messages;
import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.custom.ExtendedModifyEvent;
import org.eclipse.swt.custom.PaintObjectEvent;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.GlyphMetrics;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

/**
 * The code blocks of the transcript, each in a view of its own: the transcript wraps its prose to the width of
 * the chat, but a block's lines stay whole and scroll sideways, as in an editor. A block is one
 * {@link TranscriptRenderer#CODE_BLOCK_OBJECT} in the transcript's text whose style reserves the block's height
 * ({@link #style}); when the transcript paints that character, the block's read-only monospace view is laid over
 * it (SWT's embedded-control pattern). Views are made for the blocks painted, moved when text before them
 * changes, hidden when scrolled away and disposed with the text they stand on. UI thread only.
 */
final class CodeBlockViews {

    /** The most lines a block shows at once; a longer one scrolls down too, inside its view. */
    static final int MAX_VISIBLE_LINES = 30;

    private static final int PADDING = 4;

    private final StyledText transcript;
    private final Font font;
    private final Supplier<Color> background;
    private final Consumer<String> copy;
    /** The view over each block painted so far, by the offset of the block's character in the transcript. */
    private final TreeMap<Integer, StyledText> views = new TreeMap<>();
    /** The views placed during the paint going on: after it, the others the paint covered are stale. */
    private final Set<StyledText> placed = new HashSet<>();
    private int lineHeight = -1;

    /**
     * @param background the shade behind code, from the theme (none: the transcript's own)
     * @param copy puts a block's text on the clipboard
     */
    CodeBlockViews(StyledText transcript, Font font, Supplier<Color> background, Consumer<String> copy) {
        this.transcript = transcript;
        this.font = font;
        this.background = background;
        this.copy = copy;
        transcript.addPaintObjectListener(this::paintObject);
        // added after the transcript's own painting, so it runs once a paint's blocks are placed
        transcript.addListener(SWT.Paint, this::painted);
        transcript.addExtendedModifyListener(this::textChanged);
        transcript.addListener(SWT.Resize, e -> views.forEach((offset, view) -> fitWidth(view)));
    }

    /**
     * The style of a block's character: its height reserved (the block's lines, at most
     * {@link #MAX_VISIBLE_LINES}, and room for a horizontal scroll bar), its text kept as the style's data.
     */
    StyleRange style(int start, String code) {
        StyleRange r = new StyleRange();
        r.start = start;
        r.length = 1;
        r.data = code;
        r.metrics = new GlyphMetrics(height(code), 0, 1);
        return r;
    }

    /** The text of the code block whose character is at {@code offset}, or {@code null}. */
    String codeAt(int offset) {
        if (offset < 0 || offset >= transcript.getCharCount()) {
            return null;
        }
        StyleRange r = transcript.getStyleRangeAtOffset(offset);
        return r != null && r.data instanceof String code ? code : null;
    }

    /** The views made so far, in the order of their blocks in the transcript; for tests. */
    List<StyledText> views() {
        return new ArrayList<>(views.values());
    }

    private int height(String code) {
        int lines = Math.min(MAX_VISIBLE_LINES, (int) code.chars().filter(c -> c == '\n').count() + 1);
        // a horizontal bar is as high as the transcript's vertical one is wide
        int bar = transcript.getVerticalBar() == null ? 16 : Math.max(12, transcript.getVerticalBar().getSize().x);
        return lines * lineHeight() + 2 * PADDING + bar;
    }

    private int lineHeight() {
        if (lineHeight < 0) {
            GC gc = new GC(transcript);
            try {
                gc.setFont(font);
                lineHeight = gc.getFontMetrics().getHeight();
            } finally {
                gc.dispose();
            }
        }
        return lineHeight;
    }

    private void paintObject(PaintObjectEvent e) {
        if (!(e.style.data instanceof String code)) {
            return;
        }
        StyledText view = views.get(e.style.start);
        if (view == null) {
            view = create(code);
            views.put(e.style.start, view);
        } else if (!code.equals(view.getText())) {
            view.setText(code);
        }
        int y = e.y + e.ascent - e.style.metrics.ascent;
        Rectangle bounds = view.getBounds();
        int width = width(e.x);
        if (bounds.x != e.x || bounds.y != y || bounds.width != width || bounds.height != e.style.metrics.ascent) {
            view.setBounds(e.x, y, width, e.style.metrics.ascent);
        }
        if (!view.getVisible()) {
            view.setVisible(true);
        }
        placed.add(view);
    }

    /** A view the paint covered but did not place stands where its block no longer is (scrolled away): hidden. */
    private void painted(Event e) {
        Rectangle painted = new Rectangle(e.x, e.y, e.width, e.height);
        for (StyledText view : views.values()) {
            if (!placed.contains(view) && view.getVisible() && view.getBounds().intersects(painted)) {
                view.setVisible(false);
            }
        }
        placed.clear();
    }

    /** Views over replaced text go; those after it move with their blocks. */
    private void textChanged(ExtendedModifyEvent e) {
        int removedEnd = e.start + e.replacedText.length();
        int delta = e.length - e.replacedText.length();
        Map<Integer, StyledText> after = new TreeMap<>();
        for (var it = views.tailMap(e.start, true).entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            it.remove();
            if (entry.getKey() < removedEnd) {
                entry.getValue().dispose();
            } else {
                after.put(entry.getKey() + delta, entry.getValue());
            }
        }
        views.putAll(after);
    }

    private int width(int x) {
        return Math.max(1, transcript.getClientArea().width - transcript.getRightMargin() - x);
    }

    private void fitWidth(StyledText view) {
        Rectangle b = view.getBounds();
        int width = width(b.x);
        if (width != b.width) {
            view.setBounds(b.x, b.y, width, b.height);
        }
    }

    private StyledText create(String code) {
        boolean tall = code.chars().filter(c -> c == '\n').count() + 1 > MAX_VISIBLE_LINES;
        StyledText view = new StyledText(transcript, SWT.READ_ONLY | SWT.MULTI | SWT.H_SCROLL | (tall ? SWT.V_SCROLL : 0));
        view.setData(ChatEditor.CSS_ID, "AgentChannelsCodeBlock");
        view.setFont(font);
        view.setMargins(PADDING + 2, PADDING, PADDING + 2, PADDING);
        view.setText(code);
        view.setBackground(background.get());
        view.setForeground(transcript.getForeground());
        view.setVisible(false);
        view.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent e) {
                e.result = Messages.Chat_codeBlock;
            }
        });
        if (!tall) {
            // a block that does not scroll down passes the wheel on, so the transcript scrolls under the pointer
            view.addListener(SWT.MouseVerticalWheel, e -> {
                transcript.setTopPixel(transcript.getTopPixel() - e.count * lineHeight());
                e.doit = false;
            });
        }
        Menu menu = new Menu(view);
        MenuItem copySelection = new MenuItem(menu, SWT.PUSH);
        copySelection.setText(Messages.Chat_copy);
        copySelection.addListener(SWT.Selection, e -> view.copy());
        MenuItem copyBlock = new MenuItem(menu, SWT.PUSH);
        copyBlock.setText(Messages.Chat_copyCodeBlock);
        copyBlock.addListener(SWT.Selection, e -> copy.accept(view.getText()));
        menu.addListener(SWT.Show, e -> copySelection.setEnabled(view.getSelectionCount() > 0));
        view.setMenu(menu);
        return view;
    }
}
