package org.agentchannels.ui.internal.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSession;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.ui.internal.Ages;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.SessionStatusText;
import org.agentchannels.ui.internal.StatusImages;
import org.eclipse.jface.viewers.DelegatingStyledCellLabelProvider;
import org.eclipse.jface.viewers.IToolTipProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.StyledString;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.graphics.Image;

/**
 * The Live view's rows: a device with its session count (and "unreachable" while its gateway cannot be
 * dialled, "not paired" while this device has not paired it); a session with its title, then device (when not
 * grouped), model, age and whether it needs input, needs sign-in or starts its agent, "not paired" or the
 * gateways that claim it when more than one does, a status image whose working dot pulses, and a tooltip that
 * says what it does (for a sign-in: on which device and what to do there).
 */
final class LiveSessionsLabelProvider extends LabelProvider
        implements DelegatingStyledCellLabelProvider.IStyledLabelProvider, IToolTipProvider {

    private final LiveSessionsContentProvider content;
    private final StatusImages images;
    private final Set<String> unreachable;
    private final BooleanSupplier pulse;
    private final Predicate<String> unpaired;

    /**
     * @param unreachable endpoints whose gateway cannot be dialled now (kept by the view)
     * @param pulse which phase of its pulse the working dot is in
     * @param unpaired whether this device is known not to have paired an endpoint
     */
    LiveSessionsLabelProvider(LiveSessionsContentProvider content, StatusImages images, Set<String> unreachable,
            BooleanSupplier pulse, Predicate<String> unpaired) {
        this.content = content;
        this.images = images;
        this.unreachable = unreachable;
        this.pulse = pulse;
        this.unpaired = unpaired;
    }

    @Override
    public StyledString getStyledText(Object element) {
        if (element instanceof RemoteDevice d) {
            String name = d.endpoint().isEmpty() ? Messages.LiveView_conflictGroup : d.host().isEmpty() ? d.endpoint() : d.host();
            StyledString text = new StyledString(name);
            text.append("  " + NLS.bind(Messages.LiveView_sessionCount, content.sessionsOf(d).size()),
                    StyledString.COUNTER_STYLER);
            if (unreachable.contains(d.endpoint())) {
                text.append("  " + Messages.LiveView_unreachable, StyledString.DECORATIONS_STYLER);
            }
            if (unpaired.test(d.endpoint())) {
                text.append("  " + Messages.LiveView_notPaired, StyledString.DECORATIONS_STYLER);
            }
            return text;
        }
        if (element instanceof RemoteSession s) {
            return sessionText(s);
        }
        return new StyledString(String.valueOf(element));
    }

    private StyledString sessionText(RemoteSession s) {
        boolean grouped = content.isGrouped();
        StyledString text = new StyledString(s.title().isEmpty() ? Messages.Session_untitled : s.title());
        List<String> details = new ArrayList<>();
        if (!grouped && !s.host().isEmpty()) {
            details.add(s.host());
        }
        if (!s.model().isEmpty()) {
            details.add(s.model());
        }
        String age = Ages.since(s.updatedAt(), System.currentTimeMillis() / 1000.0);
        if (!age.isEmpty()) {
            details.add(age);
        }
        switch (s.activity()) {
            case NEEDS_INPUT -> details.add(Messages.Status_needsInput);
            case NEEDS_SIGN_IN -> details.add(Messages.Status_needsSignInShort);
            case STARTING -> details.add(Messages.Status_starting);
            default -> {
                // working pulses; idle says nothing
            }
        }
        if (!details.isEmpty()) {
            text.append("  " + String.join(" \u00b7 ", details), StyledString.QUALIFIER_STYLER);
        }
        if (!grouped && unreachable.contains(s.endpoint())) {
            text.append("  " + Messages.LiveView_unreachable, StyledString.DECORATIONS_STYLER);
        }
        if (s.isConflicting()) {
            text.append("  " + NLS.bind(Messages.LiveView_conflicting, String.join(", ", s.conflictingEndpoints())),
                    StyledString.DECORATIONS_STYLER);
        } else if (unpaired.test(s.endpoint())) {
            text.append("  " + Messages.LiveView_notPaired, StyledString.DECORATIONS_STYLER);
        }
        return text;
    }

    /**
     * What a screen reader says for a row: a session's text and then its status in words (its mark is only a
     * colour), and "unreachable" when its device's row says so; a device's text says all of it already.
     */
    String accessibleName(Object element) {
        if (!(element instanceof RemoteSession s)) {
            return element instanceof RemoteDevice ? getStyledText(element).getString() : null;
        }
        String name = sessionText(s).getString() + ", " + SessionStatusText.of(s.activity(), s.signIn(), s.host());
        if (content.isGrouped() && unreachable.contains(s.endpoint())) {
            name += ", " + Messages.LiveView_unreachable;
        }
        return name;
    }

    /** A session that needs sign-in says on which device and what to do there; the others say what they do. */
    @Override
    public String getToolTipText(Object element) {
        if (element instanceof RemoteSession s) {
            return SessionStatusText.of(s.activity(), s.signIn(), s.host());
        }
        return null;
    }

    @Override
    public Image getImage(Object element) {
        return element instanceof RemoteSession s ? images.of(s.activity(), pulse.getAsBoolean()) : null;
    }
}
