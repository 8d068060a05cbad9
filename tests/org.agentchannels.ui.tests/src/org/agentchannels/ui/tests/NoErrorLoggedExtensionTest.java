package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.eclipse.core.runtime.ILog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osgi.framework.FrameworkUtil;

/** The extension every workbench test wears fails a test that logged an error, and only such a test. */
class NoErrorLoggedExtensionTest {

    /** Just enough of a test's context: its class and a store. */
    private ExtensionContext context() {
        Map<Object, Object> values = new HashMap<>();
        ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] { ExtensionContext.Store.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "put" -> values.put(args[0], args[1]);
                    case "remove" -> values.remove(args[0]);
                    case "get" -> values.get(args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] { ExtensionContext.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequiredTestClass" -> NoErrorLoggedExtensionTest.class;
                    case "getStore" -> store;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ILog log() {
        return ILog.of(FrameworkUtil.getBundle(NoErrorLoggedExtensionTest.class));
    }

    @Test
    void anErrorLoggedDuringATestFailsItAndAWarningDoesNot() throws Exception {
        NoErrorLoggedExtension extension = new NoErrorLoggedExtension();
        ExtensionContext quiet = context();
        extension.beforeEach(quiet);
        log().warn("a warning is no failure " + UUID.randomUUID());
        assertDoesNotThrow(() -> extension.afterEach(quiet));

        ExtensionContext noisy = context();
        extension.beforeEach(noisy);
        String marker = "a planted error " + UUID.randomUUID();
        log().error(marker);
        AssertionError failed = assertThrows(AssertionError.class, () -> extension.afterEach(noisy));
        assertTrue(failed.getMessage().contains(marker), failed.getMessage());
    }
}
