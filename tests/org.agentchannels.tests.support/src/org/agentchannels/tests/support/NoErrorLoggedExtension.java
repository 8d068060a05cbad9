package org.agentchannels.tests.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.eclipse.equinox.log.SynchronousLogListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Fails a test during which anything logged an error (the Eclipse Error Log and every OSGi log go through the
 * framework's log reader): a workbench that looks right but wrote an error has a bug. Register it with
 * {@code @ExtendWith} on a workbench test.
 */
public final class NoErrorLoggedExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
            .create(NoErrorLoggedExtension.class);

    private record Watch(LogReaderService reader, LogListener listener, List<String> errors,
            ServiceReference<LogReaderService> reference, BundleContext context) {
    }

    @Override
    public void beforeEach(ExtensionContext test) {
        // the test's own bundle (a fragment's host) is started; this support bundle need not be
        Bundle bundle = FrameworkUtil.getBundle(test.getRequiredTestClass());
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        ServiceReference<LogReaderService> reference = context == null ? null
                : context.getServiceReference(LogReaderService.class);
        LogReaderService reader = reference == null ? null : context.getService(reference);
        if (reader == null) {
            throw new IllegalStateException("no OSGi log reader: this extension is for tests inside a framework");
        }
        List<String> errors = new CopyOnWriteArrayList<>();
        // synchronous: an error logged just before the test ends is seen before afterEach looks
        SynchronousLogListener listener = (LogEntry entry) -> {
            if (entry.getLogLevel() == LogLevel.ERROR) {
                errors.add(entry.getBundle().getSymbolicName() + ": " + entry.getMessage()
                        + (entry.getException() == null ? "" : " (" + entry.getException() + ")"));
            }
        };
        reader.addLogListener(listener);
        test.getStore(NAMESPACE).put(Watch.class, new Watch(reader, listener, errors, reference, context));
    }

    @Override
    public void afterEach(ExtensionContext test) {
        Watch watch = test.getStore(NAMESPACE).remove(Watch.class, Watch.class);
        if (watch == null) {
            return;
        }
        watch.reader().removeLogListener(watch.listener());
        watch.context().ungetService(watch.reference());
        if (!watch.errors().isEmpty()) {
            throw new AssertionError("errors were logged during the test:\n  " + String.join("\n  ", watch.errors()));
        }
    }
}
