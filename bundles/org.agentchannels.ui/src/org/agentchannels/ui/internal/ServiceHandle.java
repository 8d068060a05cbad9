package org.agentchannels.ui.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Future;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One OSGi service, looked up once for a part and released when the part closes. {@link #service()}
 * completes when the service is registered (at once when it already is); nobody waits for it on the UI
 * thread. Outside OSGi the future never completes.
 */
public final class ServiceHandle<T> implements AutoCloseable {

    /** How long work off the UI thread waits for a service while Declarative Services starts it. */
    public static final Duration STARTUP_WAIT = Duration.ofSeconds(5);

    private final CompletableFuture<T> service = new CompletableFuture<>();
    private final ServiceTracker<T, T> tracker;

    private ServiceHandle(BundleContext context, Class<T> type) {
        tracker = context == null ? null : new ServiceTracker<>(context, type, null) {
            @Override
            public T addingService(ServiceReference<T> reference) {
                T found = super.addingService(reference);
                if (found != null) {
                    service.complete(found);
                }
                return found;
            }
        };
    }

    /** Starts looking for {@code type} with the bundle context of {@code owner}'s bundle. */
    public static <T> ServiceHandle<T> open(Class<?> owner, Class<T> type) {
        Bundle bundle = FrameworkUtil.getBundle(owner);
        ServiceHandle<T> handle = new ServiceHandle<>(bundle == null ? null : bundle.getBundleContext(), type);
        if (handle.tracker != null) {
            handle.tracker.open();
        }
        return handle;
    }

    /** Completes with the service once it is registered. */
    public CompletableFuture<T> service() {
        return service;
    }

    /**
     * Waits up to {@link #STARTUP_WAIT} for the service; for Jobs, never for the UI thread.
     *
     * @return empty when it did not come, or the handle was closed
     */
    public Optional<T> awaitInJob() {
        try {
            return Optional.of(service.get(STARTUP_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            return Optional.empty();
        }
    }

    /** The service if it is already there. */
    public Optional<T> now() {
        return service.state() == Future.State.SUCCESS ? Optional.of(service.resultNow()) : Optional.empty();
    }

    /** Releases the service; a pending {@link #service()} is cancelled. */
    @Override
    public void close() {
        service.cancel(false);
        if (tracker != null) {
            tracker.close();
        }
    }
}
