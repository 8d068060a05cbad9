package org.agentchannels.gateway.launch;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The class path of a bundle as OSGi resolved it: its own file, then the files of every bundle its wiring
 * reaches (package and bundle imports, service-loader providers). Kept apart so that code running on a plain
 * class path never loads an OSGi type.
 */
final class InstalledBundles {

    private InstalledBundles() {
    }

    static List<Path> classPathOf(Class<?> member) throws GatewayLaunchException {
        Bundle root = FrameworkUtil.getBundle(member);
        BundleWiring rootWiring = root == null ? null : root.adapt(BundleWiring.class);
        if (rootWiring == null) {
            throw new GatewayLaunchException("the gateway is not an installed, resolved bundle here");
        }
        Set<Path> files = new LinkedHashSet<>();
        Set<BundleWiring> seen = new LinkedHashSet<>();
        Deque<BundleWiring> todo = new ArrayDeque<>(List.of(rootWiring));
        while (!todo.isEmpty()) {
            BundleWiring wiring = todo.poll();
            if (!seen.add(wiring)) {
                continue;
            }
            Bundle bundle = wiring.getBundle();
            File file = bundle.adapt(File.class);
            if (file == null) {
                throw new GatewayLaunchException("no file for bundle " + bundle.getSymbolicName());
            }
            files.add(file.toPath());
            for (BundleWire wire : wiring.getRequiredWires(null)) {
                // a fragment's own imports (a test fragment's JUnit, say) are not the gateway's needs
                boolean ownRequirement = wire.getRequirement().getRevision().equals(wiring.getRevision());
                BundleWiring provider = wire.getProviderWiring();
                if (ownRequirement && provider != null && provider.getBundle().getBundleId() != Constants.SYSTEM_BUNDLE_ID) {
                    todo.add(provider);
                }
            }
        }
        return List.copyOf(files);
    }
}
