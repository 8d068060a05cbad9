package org.agentchannels.connector.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.GatewayConnector;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The connector's exported API is interfaces and values: no public or protected signature of a type in an
 * exported, non-internal package names a Gson or Jetty type, so consumers need neither library to call it.
 * The packages and their classes are read from the running bundle's wiring, so a new class or package is
 * checked without anyone listing it here.
 */
class ExportedApiTest {

    private static final List<String> FORBIDDEN = List.of("com.google.gson.", "org.eclipse.jetty.");

    @Test
    void noPublicSignatureInAnExportedPackageNamesAGsonOrJettyType() throws Exception {
        BundleWiring wiring = FrameworkUtil.getBundle(GatewayConnection.class).adapt(BundleWiring.class);
        Map<String, Boolean> exported = exportedPackages(wiring);
        assertEquals(Boolean.FALSE, exported.get("org.agentchannels.connector"), exported.toString());
        assertEquals(Boolean.TRUE, exported.get("org.agentchannels.connector.internal"), exported.toString());

        List<Class<?>> api = new ArrayList<>();
        for (Map.Entry<String, Boolean> p : exported.entrySet()) {
            if (!p.getValue()) {
                api.addAll(publicClassesOf(wiring, p.getKey()));
            }
        }
        assertTrue(api.containsAll(List.of(GatewayConnection.class, GatewayConnection.Listener.class,
                AttachedSession.class, GatewayConnector.class)), api.toString());
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            leaks.addAll(leaksOf(type));
        }
        assertEquals(List.of(), leaks);
    }

    /** A made-up API with the shapes the check must see through: generics, wildcards, arrays, type variables. */
    interface LeakyApi<T extends JsonElement> {
        CompletableFuture<JsonObject> request(String method);

        void respond(List<? super JsonElement>[] ids);

        T id();

        String fine(String text);
    }

    @Test
    void theCheckFindsGsonTypesInsideGenericSignatures() {
        List<String> leaks = leaksOf(LeakyApi.class);
        assertEquals(4, leaks.size(), leaks.toString());
        assertTrue(leaks.stream().noneMatch(l -> l.contains("fine")), leaks.toString());
        assertTrue(leaksOf(org.agentchannels.connector.internal.JettyGatewayConnection.class).stream()
                .anyMatch(l -> l.contains("org.eclipse.jetty.websocket.client.WebSocketClient")));
    }

    /** Every package the bundle exports, with whether it is internal ({@code x-internal} or {@code x-friends}). */
    private static Map<String, Boolean> exportedPackages(BundleWiring wiring) {
        Map<String, Boolean> out = new java.util.TreeMap<>();
        for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            String name = (String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            Map<String, String> directives = c.getDirectives();
            out.put(name, "true".equals(directives.get("x-internal")) || directives.containsKey("x-friends"));
        }
        return out;
    }

    private static List<Class<?>> publicClassesOf(BundleWiring wiring, String packageName) throws ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        String folder = packageName.replace('.', '/');
        for (String resource : wiring.listResources(folder, "*.class", BundleWiring.LISTRESOURCES_LOCAL)) {
            String className = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
            if (className.endsWith("package-info")) {
                continue;
            }
            Class<?> type = wiring.getClassLoader().loadClass(className);
            if (isVisible(type)) {
                out.add(type);
            }
        }
        return out;
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    /** One line per member (or supertype) of {@code type} whose signature names a forbidden type. */
    private static List<String> leaksOf(Class<?> type) {
        List<String> leaks = new ArrayList<>();
        List<Type> header = new ArrayList<>(List.of(type.getGenericInterfaces()));
        if (type.getGenericSuperclass() != null) {
            header.add(type.getGenericSuperclass());
        }
        header.addAll(List.of(type.getTypeParameters()));
        report(leaks, type.getName(), header);
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (isApi(c.getModifiers(), c.isSynthetic())) {
                report(leaks, type.getName() + ".<init>", signature(c));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (isApi(m.getModifiers(), m.isSynthetic() || m.isBridge())) {
                List<Type> s = signature(m);
                s.add(m.getGenericReturnType());
                report(leaks, type.getName() + "." + m.getName(), s);
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (isApi(f.getModifiers(), f.isSynthetic())) {
                report(leaks, type.getName() + "." + f.getName(), List.of(f.getGenericType()));
            }
        }
        return leaks;
    }

    private static boolean isApi(int modifiers, boolean synthetic) {
        return !synthetic && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
    }

    private static List<Type> signature(Executable e) {
        List<Type> s = new ArrayList<>(List.of(e.getGenericParameterTypes()));
        s.addAll(List.of(e.getGenericExceptionTypes()));
        s.addAll(List.of(e.getTypeParameters()));
        return s;
    }

    private static void report(List<String> leaks, String where, List<Type> types) {
        Set<Class<?>> named = new LinkedHashSet<>();
        Set<Type> seen = new HashSet<>();
        for (Type t : types) {
            collect(t, named, seen);
        }
        for (Class<?> c : named) {
            if (FORBIDDEN.stream().anyMatch(c.getName()::startsWith)) {
                leaks.add(where + " names " + c.getName());
            }
        }
    }

    /** Every class a type mentions, through type arguments, bounds and array components. */
    private static void collect(Type type, Set<Class<?>> out, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        switch (type) {
            case Class<?> c -> out.add(c.isArray() ? elementOf(c) : c);
            case ParameterizedType p -> {
                collect(p.getRawType(), out, seen);
                collect(p.getOwnerType(), out, seen);
                for (Type a : p.getActualTypeArguments()) {
                    collect(a, out, seen);
                }
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    collect(b, out, seen);
                }
                for (Type b : w.getLowerBounds()) {
                    collect(b, out, seen);
                }
            }
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) {
                    collect(b, out, seen);
                }
            }
            case GenericArrayType g -> collect(g.getGenericComponentType(), out, seen);
            default -> throw new AssertionError("a kind of type the check does not know: " + type);
        }
    }

    private static Class<?> elementOf(Class<?> array) {
        Class<?> c = array;
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c;
    }
}
