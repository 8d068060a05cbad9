package org.agentchannels.ui.internal.chat;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.agentchannels.ui.internal.Messages;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.osgi.util.NLS;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;

/**
 * Opens what a link in the transcript names ({@link LinkTarget}). A web page ({@code http}, {@code https}) opens
 * in the system browser through the workbench's browser support. A file is looked for in a Job (a disk may be slow
 * to answer): an absolute path or {@code file:} URL where it is a regular file here; a relative path in the
 * session's directory when that directory is on this machine, then in the workspace's open projects (a path
 * inside a project, or one that starts with a project's name), never followed by a link out of its directory.
 * Found, it opens on the UI thread in the workbench's editor at its line and column, where org.eclipse.ui.ide is
 * installed (an IDE); in the standalone product, which has no editors, with the system's program for it. What
 * cannot be opened says so in the status line; nothing else happens.
 */
public final class LinkOpener {

    /** What opens outside the workbench's editors: the system browser, the system's program for a file. */
    public interface Outside {
        /** Shows {@code url} (http or https) in the system browser. */
        void browse(URL url) throws PartInitException;

        /** Opens {@code file} with the system's program for it; false when there is none. */
        boolean launch(Path file);
    }

    /** The workbench's external browser and SWT's {@link Program}. */
    public static final Outside SYSTEM = new Outside() {
        @Override
        public void browse(URL url) throws PartInitException {
            PlatformUI.getWorkbench().getBrowserSupport().getExternalBrowser().openURL(url);
        }

        @Override
        public boolean launch(Path file) {
            return Program.launch(file.toString());
        }
    };

    /** Whether the IDE's editors and workspace are here: the chat's dependencies on them are optional. */
    static final boolean IDE_INSTALLED = present("org.eclipse.ui.ide.IDE", "org.eclipse.ui.ide.FileStoreEditorInput",
            "org.eclipse.core.resources.ResourcesPlugin", "org.eclipse.core.filesystem.EFS");
    /** Whether text editors are here, to go to a line. */
    static final boolean TEXT_EDITORS_INSTALLED = present("org.eclipse.ui.texteditor.ITextEditor",
            "org.eclipse.jface.text.IDocument");

    private final Supplier<IWorkbenchPage> page;
    private final Supplier<String> sessionDirectory;
    private final Consumer<String> status;
    private volatile Outside outside = SYSTEM;
    private volatile boolean editors = IDE_INSTALLED;

    /**
     * @param sessionDirectory the session's working directory as its gateway names it (empty when unknown); asked on
     *        the UI thread at each opening
     * @param status shows a short message (UI thread)
     */
    LinkOpener(Supplier<IWorkbenchPage> page, Supplier<String> sessionDirectory, Consumer<String> status) {
        this.page = page;
        this.sessionDirectory = sessionDirectory;
        this.status = status;
    }

    /** Whether all of {@code classes} are seen by this bundle (installed, and resolved with it). */
    private static boolean present(String... classes) {
        try {
            for (String c : classes) {
                Class.forName(c, false, LinkOpener.class.getClassLoader());
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** For tests: what opens pages and files outside the workbench's editors (by default, {@link #SYSTEM}). */
    public void setOutside(Outside outside) {
        this.outside = outside;
    }

    /** For tests: opens files as the standalone product does, without the IDE's editors, when {@code false}. */
    public void useEditors(boolean use) {
        editors = use && IDE_INSTALLED;
    }

    /** Opens what {@code target} names; UI thread. A file is looked for in a Job. */
    public void open(String target) {
        Optional<LinkTarget> parsed = LinkTarget.parse(target);
        if (parsed.isEmpty()) {
            status.accept(NLS.bind(Messages.Link_notFound, target));
            return;
        }
        LinkTarget link = parsed.get();
        if (link.kind() == LinkTarget.Kind.WEB) {
            browse(target, link);
            return;
        }
        String directory = sessionDirectory.get();
        boolean inWorkbench = editors;
        Outside out = outside;
        Display display = Display.getCurrent();
        Job job = Job.create(NLS.bind(Messages.Link_opening, target), (IProgressMonitor monitor) -> {
            Optional<Resolved> found = resolve(link, directory, inWorkbench, monitor);
            if (!display.isDisposed()) {
                display.asyncExec(() -> show(target, link, found, inWorkbench, out));
            }
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void browse(String target, LinkTarget link) {
        try {
            URI uri = new URI(link.url());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return; // LinkTarget reads no other scheme as a web page; this stays so whatever it becomes
            }
            outside.browse(uri.toURL());
        } catch (PartInitException | java.net.URISyntaxException | java.net.MalformedURLException
                | IllegalArgumentException e) {
            status.accept(NLS.bind(Messages.Link_failed, target, e.getLocalizedMessage()));
        }
    }

    /** A file found: its real path, and its {@code IFile} when it is a file of the workspace ({@code null} if not). */
    record Resolved(Path path, Object workspaceFile) {
    }

    /** Where the file a link names is; off the UI thread. */
    static Optional<Resolved> resolve(LinkTarget link, String sessionDirectory, boolean workspace,
            IProgressMonitor monitor) {
        Optional<Path> written = LocalPaths.of(link.path());
        if (written.isEmpty()) {
            return Optional.empty();
        }
        Path path = written.get();
        if (path.isAbsolute()) {
            return LocalPaths.regularFile(path).map(real -> new Resolved(real, workspaceFileAt(real, workspace)));
        }
        if (LocalPaths.isDirectory(sessionDirectory)) {
            Optional<Path> real = LocalPaths.inside(Path.of(sessionDirectory), path);
            if (real.isPresent()) {
                return Optional.of(new Resolved(real.get(), workspaceFileAt(real.get(), workspace)));
            }
        }
        if (workspace) {
            return WorkspaceFiles.find(path, monitor).map(f -> new Resolved(f.real(), f.file()));
        }
        return Optional.empty();
    }

    private static Object workspaceFileAt(Path real, boolean workspace) {
        return workspace ? WorkspaceFiles.at(real).orElse(null) : null;
    }

    private void show(String target, LinkTarget link, Optional<Resolved> found, boolean inWorkbench, Outside out) {
        if (found.isEmpty()) {
            status.accept(NLS.bind(Messages.Link_notFound, target));
            return;
        }
        Resolved file = found.get();
        if (!inWorkbench) {
            if (!out.launch(file.path())) {
                status.accept(NLS.bind(Messages.Link_noProgram, file.path()));
            }
            return;
        }
        IWorkbenchPage p = page.get();
        if (p == null) {
            return; // the chat's window closed meanwhile
        }
        try {
            IEditorPart part = IdeEditors.open(p, file.path(), file.workspaceFile());
            if (part != null && link.line() > 0 && TEXT_EDITORS_INSTALLED) {
                TextPosition.reveal(part, link.line(), link.column());
            }
        } catch (PartInitException | RuntimeException e) {
            status.accept(NLS.bind(Messages.Link_failed, target, e.getLocalizedMessage()));
        }
    }
}
