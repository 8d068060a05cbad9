package org.agentchannels.ui.internal.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.agentchannels.core.protocol.SlashCommand;
import org.eclipse.jface.fieldassist.ContentProposal;
import org.eclipse.jface.fieldassist.ContentProposalAdapter;
import org.eclipse.jface.fieldassist.IContentProposal;
import org.eclipse.jface.fieldassist.TextContentAdapter;
import org.eclipse.swt.widgets.Text;

/**
 * Completion of the session's slash commands in the chat's input (JFace content assist): typing {@code /} at
 * the start of the prompt lists the commands the agent offers (name, what it takes, what it does), narrowed as
 * more of the name is typed; choosing one puts {@code /name } in place of what was typed of it. An agent that
 * offers none gets no list.
 */
final class CommandCompletion {

    /** Typing these may narrow or open the list; anything else leaves it be. */
    private static final char[] TRIGGERS = ("/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")
            .toCharArray();

    private final Text input;
    private final ContentProposalAdapter adapter;

    /** @param commands the session's commands now (read on the UI thread when the list opens or narrows) */
    CommandCompletion(Text input, Supplier<List<SlashCommand>> commands) {
        this.input = input;
        adapter = new ContentProposalAdapter(input, new TextContentAdapter(),
                (contents, position) -> proposals(commands.get(), contents, position), null, TRIGGERS);
        adapter.setAutoActivationDelay(0);
        adapter.setProposalAcceptanceStyle(ContentProposalAdapter.PROPOSAL_IGNORE);
        adapter.addContentProposalListener(this::accept);
    }

    ContentProposalAdapter adapter() {
        return adapter;
    }

    /**
     * The commands to offer for the input's {@code contents} with the caret at {@code position}: those whose name
     * starts with what follows the {@code /} that starts the prompt (any case), when the caret is in that first
     * word; none otherwise.
     */
    static IContentProposal[] proposals(List<SlashCommand> commands, String contents, int position) {
        if (position < 1 || position > contents.length() || !contents.startsWith("/")) {
            return new IContentProposal[0];
        }
        String typed = contents.substring(1, position);
        if (typed.chars().anyMatch(Character::isWhitespace)) {
            return new IContentProposal[0];
        }
        String prefix = typed.toLowerCase(Locale.ROOT);
        List<IContentProposal> out = new ArrayList<>();
        for (SlashCommand c : commands) {
            if (c.name().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                String label = "/" + c.name() + (c.hint().isEmpty() ? "" : "  " + c.hint())
                        + (c.description().isEmpty() ? "" : "  \u2014  " + c.description());
                out.add(new ContentProposal("/" + c.name() + " ", label, c.description().isEmpty() ? null : c.description()));
            }
        }
        return out.toArray(new IContentProposal[0]);
    }

    /** Puts the chosen {@code /name } in place of the prompt's first word, the caret after it. */
    private void accept(IContentProposal proposal) {
        String contents = input.getText();
        int end = 0;
        while (end < contents.length() && !Character.isWhitespace(contents.charAt(end))) {
            end++;
        }
        while (end < contents.length() && contents.charAt(end) == ' ') {
            end++; // the space after a word typed whole is the one the command brings
        }
        String chosen = proposal.getContent();
        input.setText(chosen + contents.substring(end));
        input.setSelection(chosen.length());
    }
}
