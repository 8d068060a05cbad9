package org.agentchannels.ui.internal;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.osgi.framework.Bundle;

/**
 * The one bridge from the loggers of the connector, presence and gateway code to the Eclipse Error Log.
 * Those bundles log through {@link System.Logger}, which the JDK backs with {@code java.util.logging}:
 * headless, the root logger's console handler prints their warnings on standard error; in the workbench
 * this handler, on the {@value #ROOT} logger, also puts every warning and error into the platform log of
 * the bundle that logged it. Installed once by the start-up component, removed when it stops.
 */
final class PlatformLogBridge extends Handler {

    static final String ROOT = "org.agentchannels";

    /** Held strongly: {@code java.util.logging} keeps its loggers only weakly. */
    private final Logger logger = Logger.getLogger(ROOT);
    private final SimpleFormatter formatter = new SimpleFormatter();

    PlatformLogBridge() {
        setLevel(Level.WARNING);
    }

    void install() {
        logger.addHandler(this);
    }

    void uninstall() {
        logger.removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record) || !Platform.isRunning()) {
            return;
        }
        int severity = record.getLevel().intValue() >= Level.SEVERE.intValue() ? IStatus.ERROR : IStatus.WARNING;
        Bundle bundle = bundleOf(record.getLoggerName());
        String message = formatter.formatMessage(record);
        ILog.of(bundle).log(new Status(severity, bundle.getSymbolicName(), message, record.getThrown()));
    }

    /** The bundle whose name is the longest prefix of the logger's (loggers are named after their classes). */
    private static Bundle bundleOf(String loggerName) {
        String name = loggerName == null ? ROOT : loggerName;
        while (!name.isEmpty()) {
            Bundle bundle = Platform.getBundle(name);
            if (bundle != null) {
                return bundle;
            }
            int dot = name.lastIndexOf('.');
            name = dot < 0 ? "" : name.substring(0, dot);
        }
        return Platform.getBundle(org.agentchannels.ui.AgentChannelsUi.PLUGIN_ID);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
