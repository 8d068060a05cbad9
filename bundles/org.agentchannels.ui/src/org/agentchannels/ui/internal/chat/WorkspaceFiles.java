package org.agentchannels.ui.internal.chat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * The files of the workspace's open projects that a link names. Loaded only where org.eclipse.core.resources is
 * installed ({@link LinkOpener}): the chat's dependency on it is optional, as the standalone product has no
 * workspace. Off the UI thread.
 */
final class WorkspaceFiles {

    private WorkspaceFiles() {
    }

    /** A file of the workspace, and its real path on disk. */
    record Found(IFile file, Path real) {
    }

    /**
     * The file {@code relative} names in an open project: {@code project/rest} in the project of that name first,
     * then the path in each open project (by name); on disk, and inside its project once links are followed. A file
     * on disk that the workspace has not seen yet is refreshed into it.
     */
    static Optional<Found> find(Path relative, IProgressMonitor monitor) {
        IPath path = IPath.fromPath(relative);
        if (path.isEmpty() || path.isAbsolute() || path.getDevice() != null) {
            return Optional.empty();
        }
        IWorkspaceRoot root = ResourcesPlugin.getWorkspace().getRoot();
        List<IFile> candidates = new ArrayList<>();
        if (path.segmentCount() > 1) {
            IProject named = root.getProject(path.segment(0));
            if (named.isOpen()) {
                candidates.add(named.getFile(path.removeFirstSegments(1)));
            }
        }
        IProject[] projects = root.getProjects();
        Arrays.sort(projects, Comparator.comparing(IProject::getName));
        for (IProject project : projects) {
            if (project.isOpen()) {
                candidates.add(project.getFile(path));
            }
        }
        for (IFile file : candidates) {
            IPath projectLocation = file.getProject().getLocation();
            if (projectLocation == null) {
                continue;
            }
            Optional<Path> real = LocalPaths.inside(projectLocation.toPath(), file.getProjectRelativePath().toPath());
            if (real.isPresent()) {
                if (!file.exists()) {
                    try {
                        file.getParent().refreshLocal(IResource.DEPTH_ONE, monitor);
                    } catch (CoreException e) {
                        // opened as a file outside the workspace, then
                    }
                }
                return Optional.of(new Found(file.exists() ? file : null, real.get()));
            }
        }
        return Optional.empty();
    }

    /** The file of an open project at {@code real} (a real path on disk), if it is one. */
    static Optional<IFile> at(Path real) {
        IFile[] files = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(real.toUri());
        return Arrays.stream(files).filter(f -> f.exists() && f.getProject().isOpen())
                .min(Comparator.comparingInt(f -> f.getFullPath().segmentCount()));
    }
}
