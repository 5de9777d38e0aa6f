package io.dcf.gateway.backend.kubernetes;

import com.google.gson.reflect.TypeToken;
import io.dcf.gateway.error.BackendUnavailableException;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watch;
import io.kubernetes.client.util.Watchable;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of the function namespace: one Pod and one Deployment informer,
 * both on {@code app.kubernetes.io/managed-by=dcf}, indexed by function name. Lists use the
 * request client (with its deadline); watches use a client without a read timeout and
 * end on their own after {@code watchTimeout} (server side, and a whole-call deadline a
 * little later), after which the informer watches again.
 */
final class FunctionInformers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FunctionInformers.class);
    private static final String BY_FUNCTION = "function";
    private static final Type POD_EVENT = new TypeToken<Watch.Response<V1Pod>>() { }.getType();
    private static final Type DEPLOYMENT_EVENT = new TypeToken<Watch.Response<V1Deployment>>() { }.getType();

    private final String namespace;
    private final CoreV1Api core;
    private final ExecutorService pool;
    private final SharedInformerFactory factory;
    private final SharedIndexInformer<V1Pod> pods;
    private final SharedIndexInformer<V1Deployment> deployments;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Object changes = new Object();
    private long changeCount;

    FunctionInformers(ApiClient api, ApiClient watchClient, String namespace, Duration watchTimeout) {
        this.namespace = namespace;
        this.core = new CoreV1Api(api);
        AppsV1Api apps = new AppsV1Api(api);
        CoreV1Api watchCore = new CoreV1Api(watchClient);
        AppsV1Api watchApps = new AppsV1Api(watchClient);
        String selector = DeploymentSpecs.managedSelector();
        int watchSeconds = (int) Math.max(1, watchTimeout.toSeconds());
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dcf-k8s-informer-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.factory = new SharedInformerFactory(watchClient, pool, false);
        ListerWatcher<V1Pod, V1PodList> podLw = new ListerWatcher<>() {
            @Override
            public V1PodList list(CallGeneratorParams p) throws ApiException {
                return core.listNamespacedPod(namespace).labelSelector(selector).resourceVersion(p.resourceVersion)
                        .execute();
            }

            @Override
            public Watchable<V1Pod> watch(CallGeneratorParams p) throws ApiException {
                Call call = watchCore.listNamespacedPod(namespace).labelSelector(selector).watch(true)
                        .allowWatchBookmarks(true).resourceVersion(p.resourceVersion)
                        .timeoutSeconds(watchSeconds).buildCall(null);
                return Watch.createWatch(watchClient, deadline(call, watchSeconds), POD_EVENT);
            }
        };
        ListerWatcher<V1Deployment, V1DeploymentList> deploymentLw = new ListerWatcher<>() {
            @Override
            public V1DeploymentList list(CallGeneratorParams p) throws ApiException {
                return apps.listNamespacedDeployment(namespace).labelSelector(selector)
                        .resourceVersion(p.resourceVersion).execute();
            }

            @Override
            public Watchable<V1Deployment> watch(CallGeneratorParams p) throws ApiException {
                Call call = watchApps.listNamespacedDeployment(namespace).labelSelector(selector).watch(true)
                        .allowWatchBookmarks(true).resourceVersion(p.resourceVersion)
                        .timeoutSeconds(watchSeconds).buildCall(null);
                return Watch.createWatch(watchClient, deadline(call, watchSeconds), DEPLOYMENT_EVENT);
            }
        };
        this.pods = factory.sharedIndexInformerFor(podLw, V1Pod.class, 0, FunctionInformers::watchFailed);
        this.deployments = factory.sharedIndexInformerFor(deploymentLw, V1Deployment.class, 0,
                FunctionInformers::watchFailed);
        pods.addIndexers(Map.of(BY_FUNCTION, FunctionInformers::functionOf));
        deployments.addIndexers(Map.of(BY_FUNCTION, FunctionInformers::functionOf));
        pods.addEventHandler(new Notifier<>());
        deployments.addEventHandler(new Notifier<>());
    }

    /**
     * Checks that the gateway may list pods in the namespace (a clear error when not), starts
     * both informers and waits up to {@code timeout} for their first list.
     */
    void start(Duration timeout) {
        KubernetesErrors.call("list", "pods in namespace", namespace, "",
                () -> core.listNamespacedPod(namespace).labelSelector(DeploymentSpecs.managedSelector()).limit(1)
                        .execute());
        factory.startAllRegisteredInformers();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pods.hasSynced() || !deployments.hasSynced()) {
            if (System.nanoTime() - deadline > 0) {
                throw new BackendUnavailableException("the pods and deployments of namespace " + namespace
                        + " were not listed within " + timeout.toSeconds() + " s");
            }
            awaitChange(currentChange(), Duration.ofMillis(50));
        }
        // hasSynced says the stores hold the first list, not that the event handlers have run (they run later on
        // the informers' threads): tell the listeners about every function now, so routes exist when start returns.
        Set<String> functions = new TreeSet<>();
        pods.getIndexer().list().forEach(p -> functions.addAll(functionOf(p)));
        deployments.getIndexer().list().forEach(d -> functions.addAll(functionOf(d)));
        functions.forEach(fn -> listeners.forEach(l -> l.accept(fn)));
        log.info("Watching functions namespace={} pods={} deployments={}", namespace, pods.getIndexer().list().size(),
                deployments.getIndexer().list().size());
    }

    String namespace() {
        return namespace;
    }

    /** Calls {@code listener} with a function's name after any of its pods or its Deployment changed. */
    void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** The function's pods, by name. */
    List<V1Pod> pods(String function) {
        return pods.getIndexer().byIndex(BY_FUNCTION, function).stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    Optional<V1Deployment> deployment(String function) {
        return Optional.ofNullable(deployments.getIndexer().getByKey(namespace + "/" + function));
    }

    List<V1Deployment> deployments() {
        return deployments.getIndexer().list();
    }

    /** A counter raised by every change; pair with {@link #awaitChange}. */
    long currentChange() {
        synchronized (changes) {
            return changeCount;
        }
    }

    /** Waits until the counter passes {@code seen} or {@code max} elapsed. */
    void awaitChange(long seen, Duration max) {
        long until = System.nanoTime() + max.toNanos();
        synchronized (changes) {
            while (changeCount == seen) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changes, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops both informers and their threads; nothing in the cluster is touched. */
    @Override
    public void close() {
        factory.stopAllRegisteredInformers(true);
        pool.shutdownNow();
    }

    private void changed(KubernetesObject object) {
        if (object == null) {
            return;
        }
        functionOf(object).forEach(fn -> listeners.forEach(l -> l.accept(fn)));
        synchronized (changes) {
            changeCount++;
            changes.notifyAll();
        }
    }

    private static List<String> functionOf(KubernetesObject object) {
        Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(FunctionMetadata.NAME_LABEL);
        return name == null ? List.of() : List.of(name);
    }

    /** A whole-call deadline a little past the server-side watch timeout: a dead connection cannot hang it. */
    private static Call deadline(Call call, int watchSeconds) {
        call.timeout().timeout(watchSeconds + 30L, TimeUnit.SECONDS);
        return call;
    }

    private static <T> void watchFailed(Class<T> type, Throwable error) {
        log.warn("Watch of {} failed, listing and watching again: {}", type.getSimpleName(), error.toString());
    }

    private final class Notifier<T extends KubernetesObject> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            changed(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            changed(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed(obj);
        }
    }
}
