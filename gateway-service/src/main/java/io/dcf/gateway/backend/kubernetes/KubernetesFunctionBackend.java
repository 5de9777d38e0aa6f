package io.dcf.gateway.backend.kubernetes;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.backend.LogSink;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.FunctionAlreadyExistsException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.scale.ScaleSpecs;
import io.dcf.gateway.version.FunctionVersions;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.grpc.Status;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.VersionInfo;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each function as a Deployment and a Service in one namespace, through the
 * Kubernetes API. The cluster is the store: a function's spec, generation and times are
 * annotations of its Deployment ({@link FunctionRecord}), so a restarted gateway (or
 * another replica of it) sees the same functions. Reads come from informers
 * ({@link FunctionInformers}); writes go to the API with the request timeout.
 */
public final class KubernetesFunctionBackend implements FunctionBackend {

    private static final Logger log = LoggerFactory.getLogger(KubernetesFunctionBackend.class);

    private final KubernetesBackendSettings settings;
    private final String namespace;
    private final FunctionInformers informers;
    private final PodEndpoints endpoints;
    private final FunctionObjects objects;
    private final FunctionHpas hpas;
    private final PodLogs logs;
    private final ScheduledExecutorService timer;
    private final Optional<ModelImages> models;

    private KubernetesFunctionBackend(KubernetesBackendSettings settings, ApiClient api, ApiClient streamClient,
                                      Optional<ModelImages> models) {
        this.settings = settings;
        this.models = models;
        this.namespace = settings.namespace();
        this.informers = new FunctionInformers(api, streamClient, namespace, settings.watchTimeout());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dcf-k8s-timer");
            t.setDaemon(true);
            return t;
        });
        this.endpoints = new PodEndpoints(informers, settings.watcherPort(), settings.ejection(), timer);
        this.objects = new FunctionObjects(new AppsV1Api(api), new CoreV1Api(api), namespace);
        this.hpas = new FunctionHpas(api, settings.objects());
        this.logs = new PodLogs(new CoreV1Api(api), new CoreV1Api(streamClient), informers);
    }

    /**
     * Connects to the namespace and fills the caches before returning.
     *
     * @param api          the client for requests: its read timeout is every request's deadline
     * @param streamClient the client for watches and followed logs: no read timeout (they end on their own)
     */
    public static KubernetesFunctionBackend start(KubernetesBackendSettings settings, ApiClient api,
                                                  ApiClient streamClient) {
        return start(settings, api, streamClient, Optional.empty());
    }

    /** Like {@link #start(KubernetesBackendSettings, ApiClient, ApiClient)}, with build-service for update-model. */
    public static KubernetesFunctionBackend start(KubernetesBackendSettings settings, ApiClient api,
                                                  ApiClient streamClient, Optional<ModelImages> models) {
        requireNonNull(settings, "settings");
        boolean grpcProbes = grpcProbes(requireNonNull(api, "api"));
        KubernetesFunctionBackend backend = new KubernetesFunctionBackend(
                settings.withObjects(settings.objects().withGrpcProbes(grpcProbes)), api,
                requireNonNull(streamClient, "streamClient"), requireNonNull(models, "models"));
        try {
            backend.informers.start(settings.readyTimeout());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        return backend;
    }

    /** Whether the API server runs gRPC probes, read once from its version; TCP probes when it cannot be read. */
    private static boolean grpcProbes(ApiClient api) {
        try {
            VersionInfo version = KubernetesErrors.call("read", "the version of", "the API server", "",
                    () -> new VersionApi(api).getCode().execute());
            boolean grpc = KubernetesSettings.grpcProbesSupported(version.getMajor(), version.getMinor());
            log.info("Kubernetes API server version={}.{} probes={}", version.getMajor(), version.getMinor(),
                    grpc ? "grpc" : "tcp");
            return grpc;
        } catch (RuntimeException e) {
            log.warn("Kubernetes API server version unknown ({}): functions get TCP probes", e.getMessage());
            return false;
        }
    }

    /** Where calls go: ready pods, from the same Pod informer. */
    public EndpointResolver endpoints() {
        return endpoints;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /**
     * Creates the Deployment and the Service (all or none) and waits up to the ready timeout
     * for a ready pod. A pod that meets a failure that waiting does not heal (ImagePullBackOff,
     * CrashLoopBackOff, ...) by then fails the deploy with its reason and both objects are
     * removed; a pod still on its way (scheduling, pulling a large image) leaves the function
     * deployed and the status says STARTING with why. The pods run {@code code}'s image, which
     * becomes the spec's {@code image} (a digest when build-service built it).
     */
    @Override
    public FunctionStatus deploy(FunctionSpec given, BuiltFunction code) {
        FunctionSpec spec = withImage(given, code);
        requireImage(spec);
        String name = spec.getName();
        Timestamp now = now();
        FunctionStatus record = FunctionStatus.newBuilder().setSpec(spec).setReplicas(spec.getReplicas())
                .setGeneration(1).setCreated(now).setUpdated(now).build();
        V1Deployment deployment = FunctionRecord.deployment(record, settings.objects(),
                FunctionVersions.empty(name).record(version(record, FunctionVersions.DEPLOY).build(),
                        FunctionVersions.DEFAULT_LIMIT));
        V1Deployment created;
        try {
            created = objects.createDeployment(deployment);
        } catch (DcfException e) {
            if (e.code() == Status.Code.ALREADY_EXISTS) {
                throw new FunctionAlreadyExistsException(name);
            }
            throw e;
        }
        try {
            objects.createService(DeploymentSpecs.service(spec, settings.objects()), created);
            if (ScaleSpecs.hpa(spec)) {
                hpas.sync(spec, created);
            }
        } catch (RuntimeException e) {
            objects.removeCreated(name, false);
            throw e;
        }
        log.info("Deployed function={} namespace={} image={} replicas={} build={}", name, namespace, spec.getImage(),
                spec.getReplicas(), code.buildId());
        Optional<String> failure = awaitReady(name, 1, spec.getReplicas());
        if (failure.isPresent()) {
            objects.removeCreated(name, true);
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + name + " did not become ready within "
                    + settings.readyTimeout().toSeconds() + " s: " + failure.get()
                    + "; its Deployment and Service were removed: fix the function and deploy it again");
        }
        return status(name, created);
    }

    /**
     * Replaces the Deployment (a new generation on the pod template, so pods roll even
     * when the image tag is the same) and waits like deploy. With maxUnavailable 0 the
     * old pods keep serving while new ones fail; the failure is reported and the record
     * keeps the new spec: fix it and update again.
     */
    @Override
    public FunctionStatus update(FunctionSpec given, Optional<BuiltFunction> code) {
        FunctionSpec spec = code.map(c -> withImage(given, c)).orElse(given);
        requireImage(spec);
        V1Deployment current = objects.readDeployment(spec.getName())
                .orElseThrow(() -> new FunctionNotFoundException(spec.getName()));
        FunctionVersion previous = FunctionRecord.versions(current).list().stream().findFirst()
                .orElse(FunctionVersion.getDefaultInstance());
        boolean sameImage = previous.getImage().equals(spec.getImage()); // the model layer is in the image
        return roll(current, spec, record -> version(record, FunctionVersions.UPDATE)
                .setModelPath(sameImage ? previous.getModelPath() : "")
                .setModelDigest(sameImage ? previous.getModelDigest() : "")
                .setModelBytes(sameImage ? previous.getModelBytes() : 0));
    }

    /**
     * Replaces the Deployment with {@code spec} at the next generation, recording the version
     * {@code version} makes of the new record, and waits like deploy. With maxUnavailable 0 the
     * old pods keep serving while new ones fail; the failure is reported and the record keeps
     * the new spec: fix it and update again.
     */
    private FunctionStatus roll(V1Deployment current, FunctionSpec spec,
                                java.util.function.Function<FunctionStatus, FunctionVersion.Builder> version) {
        String name = spec.getName();
        FunctionStatus old = FunctionRecord.read(current);
        FunctionStatus record = old.toBuilder().setSpec(spec).setReplicas(spec.getReplicas())
                .setGeneration(old.getGeneration() + 1).setUpdated(now()).build();
        V1Deployment next = FunctionRecord.deployment(record, settings.objects(), FunctionRecord.versions(current)
                .record(version.apply(record).build(), FunctionVersions.DEFAULT_LIMIT));
        next.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        V1Deployment replaced = objects.replaceDeployment(next);
        objects.ensureService(DeploymentSpecs.service(spec, settings.objects()), replaced);
        if (ScaleSpecs.hpa(spec) || ScaleSpecs.hpa(old.getSpec())) {
            hpas.sync(spec, replaced);
        }
        log.info("Updated function={} namespace={} image={} generation={}", name, namespace, spec.getImage(),
                record.getGeneration());
        Optional<String> failure = awaitReady(name, record.getGeneration(), spec.getReplicas());
        if (failure.isPresent()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + name + " generation "
                    + record.getGeneration() + " did not become ready within " + settings.readyTimeout().toSeconds()
                    + " s: " + failure.get() + "; the previous pods keep serving: fix the function and update again");
        }
        return status(name, replaced);
    }

    /**
     * build-service makes the current image (by digest) plus one layer holding the file; the
     * Deployment rolls to it like an update (the image's environment says DCF_MODEL_PATH).
     */
    @Override
    public FunctionStatus updateModel(ModelFile model) {
        String name = model.function();
        V1Deployment current = objects.readDeployment(name).orElseThrow(() -> new FunctionNotFoundException(name));
        ModelImages images = models.orElseThrow(() -> new DcfException(Status.Code.FAILED_PRECONDITION,
                "function " + name + ": update-model on the kubernetes backend needs build-service: set"
                        + " dcf.gateway.build-service.address (host:port)"));
        FunctionStatus old = FunctionRecord.read(current);
        String base = currentImage(name, old);
        String image = images.addLayer(base, model);
        log.info("Model layer for function={} namespace={}: {} + {} = {}", name, namespace, base, model.path(), image);
        return roll(current, old.getSpec().toBuilder().setImage(image).build(),
                record -> version(record, FunctionVersions.UPDATE_MODEL).setModelPath(model.path())
                        .setModelDigest(model.digest()).setModelBytes(model.bytes()));
    }

    /**
     * The image the function runs, by digest: its spec's when that names a digest, else the
     * digest a ready pod of the current generation pulled (its container's imageID), else the
     * spec's reference as it is (a tag).
     */
    private String currentImage(String name, FunctionStatus record) {
        String image = record.getSpec().getImage();
        if (image.contains("@sha256:")) {
            return image;
        }
        return informers.pods(name).stream()
                .filter(p -> FunctionRecord.generation(p) == record.getGeneration() && PodStates.ready(p))
                .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
                .map(c -> c.getImageID() == null ? "" : c.getImageID().replaceFirst("^[a-z-]+://", ""))
                .filter(id -> id.contains("@sha256:"))
                .findFirst().orElse(image);
    }

    /** The versions on the Deployment; one made of its record when it has none (deployed by an older gateway). */
    @Override
    public List<FunctionVersion> versions(String name) {
        V1Deployment deployment = informers.deployment(name).orElseThrow(() -> new FunctionNotFoundException(name));
        List<FunctionVersion> versions = FunctionRecord.versions(deployment).list();
        if (!versions.isEmpty()) {
            return versions;
        }
        FunctionStatus record = FunctionRecord.read(deployment);
        return List.of(version(record, FunctionVersions.DEPLOY).setCreated(record.getUpdated()).setCurrent(true).build());
    }

    /** The target version's spec (its image by digest) at the current replica count, rolled like an update. */
    @Override
    public FunctionStatus rollback(String name, long toVersion) {
        V1Deployment current = objects.readDeployment(name).orElseThrow(() -> new FunctionNotFoundException(name));
        FunctionVersion target = FunctionRecord.versions(current).rollbackTarget(toVersion);
        FunctionSpec spec = target.getSpec().toBuilder().setReplicas(FunctionRecord.read(current).getReplicas()).build();
        requireImage(spec);
        FunctionStatus status = roll(current, spec, record -> version(record, FunctionVersions.ROLLBACK)
                .setRolledBackTo(target.getVersion()).setModelPath(target.getModelPath())
                .setModelDigest(target.getModelDigest()).setModelBytes(target.getModelBytes()));
        log.info("Rolled back function={} namespace={} to version={}", name, namespace, target.getVersion());
        return status;
    }

    private static FunctionVersion.Builder version(FunctionStatus record, String cause) {
        return FunctionVersions.entry(record.getGeneration(), cause, record.getSpec(), record.getUpdated())
                .setImage(record.getSpec().getImage());
    }

    /** Deletes the Deployment (its pods follow) and the Service; one already gone does not stop the other. */
    @Override
    public void delete(String name) {
        if (!objects.deleteAll(name, true)) {
            throw new FunctionNotFoundException(name);
        }
        log.info("Deleted function={} namespace={}", name, namespace);
    }

    /**
     * Sets the Deployment's replicas through its scale subresource; an autoscaled function is
     * pinned instead: one merge patch of the replicas and the stored spec (no pod rolls).
     */
    @Override
    public FunctionStatus scale(String name, int replicas) {
        FunctionSpec spec = informers.deployment(name).map(d -> FunctionRecord.read(d).getSpec())
                .orElseThrow(() -> new FunctionNotFoundException(name));
        if (ScaleSpecs.autoscaled(spec)) {
            FunctionSpec pinned = ScaleSpecs.pinned(spec, replicas);
            objects.pin(name, FunctionMetadata.specJson(pinned), replicas);
            log.info("Pinned function={} namespace={} replicas={} (scale.min = scale.max)", name, namespace, replicas);
        } else {
            objects.scale(name, replicas);
            log.info("Scaled function={} namespace={} replicas={}", name, namespace, replicas);
        }
        FunctionStatus status = get(name);
        return status.toBuilder().setReplicas(replicas)
                .setSpec(ScaleSpecs.pinned(status.getSpec(), replicas)).build();
    }

    @Override
    public void onColdStart(java.util.function.BiConsumer<String, Duration> listener) {
        endpoints.onColdStart(listener);
    }

    /** The Deployment's replicas through its scale subresource; its {@code dcf.io/spec} stays. */
    @Override
    public void autoscale(String name, int replicas) {
        objects.scale(name, replicas);
    }

    @Override
    public FunctionStatus get(String name) {
        V1Deployment deployment = informers.deployment(name).orElseThrow(() -> new FunctionNotFoundException(name));
        return FunctionStatuses.of(deployment, informers.pods(name), settings.watcherPort());
    }

    @Override
    public List<FunctionStatus> list() {
        return informers.deployments().stream()
                .map(d -> d.getMetadata().getName())
                .sorted(Comparator.naturalOrder())
                .flatMap(name -> {
                    try {
                        return Stream.of(get(name));
                    } catch (DcfException e) { // not one of ours after all, or deleted meanwhile
                        return Stream.empty();
                    }
                })
                .toList();
    }

    @Override
    public void logs(String name, int tail, boolean follow, LogSink sink, BooleanSupplier cancelled) {
        informers.deployment(name).orElseThrow(() -> new FunctionNotFoundException(name));
        logs.stream(name, tail, follow, sink, () -> cancelled.getAsBoolean() || informers.deployment(name).isEmpty());
    }

    /** Stops the informers and the backend's threads; never touches a running function. */
    @Override
    public void close() {
        informers.close();
        logs.close();
        timer.shutdownNow();
        models.ifPresent(ModelImages::close);
    }

    /**
     * Waits until a pod of {@code generation} is ready. Empty when one is, when none is wanted,
     * or when the deadline passed with pods still on their way; the failure when one failed.
     */
    private Optional<String> awaitReady(String name, long generation, int replicas) {
        if (replicas == 0) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
        while (true) {
            long seen = informers.currentChange();
            List<V1Pod> pods = informers.pods(name).stream()
                    .filter(p -> FunctionRecord.generation(p) == generation).toList();
            if (pods.stream().anyMatch(PodStates::ready)) {
                return Optional.empty();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return pods.stream().flatMap(p -> PodStates.failure(p)
                        .map(f -> "pod " + p.getMetadata().getName() + ": " + f).stream()).findFirst();
            }
            informers.awaitChange(seen, Duration.ofNanos(Math.min(left, 1_000_000_000L)));
        }
    }

    /** The status from the cache, or from {@code written} while the cache has not seen it yet. */
    private FunctionStatus status(String name, V1Deployment written) {
        V1Deployment deployment = informers.deployment(name)
                .filter(cached -> generation(cached) >= generation(written)).orElse(written);
        return FunctionStatuses.of(deployment, informers.pods(name), settings.watcherPort());
    }

    private static long generation(V1Deployment deployment) {
        return FunctionRecord.read(deployment).getGeneration();
    }

    /** The spec running {@code code}'s image; local code cannot run here. */
    private static FunctionSpec withImage(FunctionSpec spec, BuiltFunction code) {
        if (code instanceof BuiltFunction.Image image) {
            return image.reference().equals(spec.getImage()) ? spec
                    : spec.toBuilder().setImage(image.reference()).build();
        }
        throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                + ": the kubernetes backend runs container images, not code built by the gateway");
    }

    private void requireImage(FunctionSpec spec) {
        if (spec.getImage().isBlank()) {
            throw new DcfException(Status.Code.FAILED_PRECONDITION, "function " + spec.getName()
                    + ": image: missing; the kubernetes backend runs a container image: build and push one and set"
                    + " image: in config.yaml (dcf function build will do both)");
        }
    }

    private static Timestamp now() {
        return Timestamps.fromMillis(System.currentTimeMillis());
    }
}
