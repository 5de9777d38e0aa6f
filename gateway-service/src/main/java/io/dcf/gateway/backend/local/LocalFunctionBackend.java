package io.dcf.gateway.backend.local;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import io.dcf.gateway.backend.Endpoint;
import io.dcf.gateway.backend.EndpointResolver;
import io.dcf.gateway.backend.FunctionBackend;
import io.dcf.gateway.backend.LogSink;
import io.dcf.gateway.backend.ModelFile;
import io.dcf.gateway.backend.Route;
import io.dcf.gateway.build.BuiltFunction;
import io.dcf.gateway.error.DcfException;
import io.dcf.gateway.error.FunctionAlreadyExistsException;
import io.dcf.gateway.error.FunctionNotFoundException;
import io.dcf.gateway.files.Files2;
import io.dcf.gateway.scale.ScaleSpecs;
import io.dcf.gateway.version.FunctionVersions;
import io.dcf.proto.v1.FunctionSpec;
import io.dcf.proto.v1.FunctionStatus;
import io.dcf.proto.v1.FunctionVersion;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each function replica as a supervised child process on a loopback port and
 * keeps specs and code under DCF_HOME, so a restarted gateway brings every function
 * back with its replica count (an autoscaled one at its {@code scale.min}: the
 * autoscaler's counts are never stored).
 */
public final class LocalFunctionBackend implements FunctionBackend, EndpointResolver {

    private static final Logger log = LoggerFactory.getLogger(LocalFunctionBackend.class);

    private final FunctionStore store;
    private final ReplicaSet replicaSet;
    private final WarmPool pool;
    private final Generations generations;
    private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<Consumer<String>> routeListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, Duration>> coldStartListeners = new CopyOnWriteArrayList<>();

    private final LocalSettings settings;

    LocalFunctionBackend(LocalSettings settings) {
        this.settings = settings;
        this.store = new FunctionStore(settings.home());
        this.pool = new WarmPool(settings, settings.home().resolve("pool"));
        this.replicaSet = new ReplicaSet(settings, store, this::coldStarted, pool);
        this.generations = new Generations(store, settings.generationsKept());
    }

    /** Creates the backend and restores every stored function (replicas start in the background). */
    public static LocalFunctionBackend start(LocalSettings settings) {
        LocalFunctionBackend backend = new LocalFunctionBackend(requireNonNull(settings, "settings"));
        backend.restore();
        backend.pool.start();
        return backend;
    }

    private void restore() {
        if (settings.isolation().weakened()) {
            log.warn("Local isolation: {}", settings.isolation().note());
        } else {
            log.info("Local isolation: {}", settings.isolation().note());
        }
        if (!settings.isolation().secrets()) {
            log.warn("Local isolation: replica secrets are off (dcf.gateway.local.replica-secrets=false): any local"
                    + " process can call a replica directly, around the gateway");
        }
        for (FunctionStatus record : store.loadAll()) {
            String name = record.getSpec().getName();
            try {
                InstalledArtifact code = InstalledArtifact.of(record.getSpec(),
                        store.generationDir(name, record.getGeneration())).withModel(Generations.relative(
                        generations.version(name, record.getGeneration()).getModelPath()));
                Files2.makeReadOnly(store.generationDir(name, record.getGeneration())); // sealed by older versions too
                LocalFunction fn = new LocalFunction(record, code, this::routeChanged);
                functions.put(name, fn);
                int replicas = ScaleSpecs.restartReplicas(record.getSpec(), record.getReplicas());
                if (replicas != record.getReplicas()) {
                    fn.running(replicas);
                }
                replicaSet.scaleTo(fn, replicas);
                log.info("Restored function={} replicas={} generation={}", name, replicas, record.getGeneration());
            } catch (RuntimeException e) {
                log.error("Cannot restore function={}: {}", name, e.getMessage());
            }
        }
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Route route(String function) {
        LocalFunction fn = functions.get(function);
        if (fn == null) {
            throw new FunctionNotFoundException(function);
        }
        return fn.route();
    }

    @Override
    public void onRouteChange(Consumer<String> listener) {
        routeListeners.add(listener);
    }

    @Override
    public void onColdStart(BiConsumer<String, Duration> listener) {
        coldStartListeners.add(listener);
    }

    private void coldStarted(String function, Duration startToReady) {
        log.debug("Cold start of function={} took {} ms", function, startToReady.toMillis());
        coldStartListeners.forEach(l -> l.accept(function, startToReady));
    }

    private void routeChanged(String function) {
        for (Consumer<String> listener : routeListeners) {
            try {
                listener.accept(function);
            } catch (RuntimeException e) {
                log.warn("Route listener failed for function={}: {}", function, e.toString());
            }
        }
    }

    @Override
    public void eject(String function, Endpoint endpoint, String reason) {
        LocalFunction fn = functions.get(function);
        if (fn != null) {
            fn.replicas().forEach(r -> r.eject(endpoint, reason));
        }
    }

    /** Takes the staged code of {@code code} (moves it into generation 1) and starts the replicas. */
    @Override
    public FunctionStatus deploy(FunctionSpec spec, BuiltFunction code) {
        String name = spec.getName();
        synchronized (lock(name)) {
            if (functions.containsKey(name)) {
                throw new FunctionAlreadyExistsException(name);
            }
            Path staged = staged(name, code);
            store.delete(name); // leftovers of an interrupted deploy
            LocalFunction fn = null;
            try {
                InstalledArtifact installed = take(spec, staged, 1);
                Timestamp now = now();
                FunctionStatus record = FunctionStatus.newBuilder().setSpec(spec).setReplicas(spec.getReplicas())
                        .setGeneration(1).setCreated(now).setUpdated(now).build();
                fn = new LocalFunction(record, installed, this::routeChanged);
                List<Replica> started = replicaSet.scaleTo(fn, spec.getReplicas());
                replicaSet.awaitFirstReady(name, started);
                generations.commit(record, Generations.entry(record, FunctionVersions.DEPLOY, now).build());
                functions.put(name, fn);
                log.info("Deployed function={} runtime={} replicas={} build={}", name, spec.getRuntime(),
                        spec.getReplicas(), code.buildId());
                return fn.status();
            } catch (RuntimeException e) {
                if (fn != null) {
                    replicaSet.stopAll(fn);
                }
                store.delete(name);
                throw e;
            }
        }
    }

    /**
     * A new generation: the new code, or the current code (hard links) and model when only the
     * settings change; replicas roll one at a time.
     */
    @Override
    public FunctionStatus update(FunctionSpec spec, Optional<BuiltFunction> code) {
        String name = spec.getName();
        Optional<Path> staged = code.map(c -> staged(name, c));
        synchronized (lock(name)) {
            LocalFunction fn = existing(name);
            FunctionStatus old = fn.record();
            long generation = old.getGeneration() + 1;
            FunctionVersion model = generations.version(name, old.getGeneration());
            InstalledArtifact installed;
            if (staged.isPresent()) {
                installed = take(spec, staged.get(), generation);
                model = FunctionVersion.getDefaultInstance(); // new code starts without the old model
            } else {
                installed = generations.copy(spec, old.getGeneration(), generation, model.getModelPath());
            }
            FunctionStatus record = old.toBuilder().setSpec(spec).setReplicas(spec.getReplicas())
                    .setGeneration(generation).setUpdated(now()).build();
            roll(fn, record, installed, Generations.entry(record, FunctionVersions.UPDATE, record.getUpdated())
                    .setModelPath(model.getModelPath()).setModelDigest(model.getModelDigest())
                    .setModelBytes(model.getModelBytes()).build());
            log.info("Updated function={} generation={} build={}", name, generation,
                    code.map(BuiltFunction::buildId).orElse(""));
            return fn.status();
        }
    }

    /** The staged directory of local code; the local backend runs no images. */
    private static Path staged(String name, BuiltFunction code) {
        if (code instanceof BuiltFunction.LocalCode local) {
            return local.directory();
        }
        throw new DcfException(Status.Code.FAILED_PRECONDITION, "the local backend cannot deploy function "
                + name + " from image '" + ((BuiltFunction.Image) code).reference() + "' alone; deploy its source"
                + " with `dcf function create -f config.yaml` (dcf.v1.Gateway/Deploy), or run the gateway with"
                + " dcf.gateway.backend=kubernetes");
    }

    /**
     * Moves staged code into the function's generation directory (a rename: the staging
     * directory is under the same DCF_HOME), seals it read-only and reads its layout.
     */
    private InstalledArtifact take(FunctionSpec spec, Path staged, long generation) {
        Path genDir = store.generationDir(spec.getName(), generation);
        Files2.deleteTree(genDir);
        try {
            Files.createDirectories(genDir.getParent());
            Files.move(staged, genDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + staged + " to " + genDir, e);
        }
        Files2.makeReadOnly(genDir);
        return InstalledArtifact.of(spec, genDir);
    }

    /** A new generation: the current code (hard links) plus the model file; replicas roll one at a time. */
    @Override
    public FunctionStatus updateModel(ModelFile model) {
        String name = model.function();
        synchronized (lock(name)) {
            LocalFunction fn = existing(name);
            FunctionStatus old = fn.record();
            long generation = old.getGeneration() + 1;
            String previous = generations.version(name, old.getGeneration()).getModelPath();
            InstalledArtifact code = generations.withModel(old.getSpec(), old.getGeneration(), generation, previous,
                    model);
            FunctionStatus record = old.toBuilder().setGeneration(generation).setUpdated(now()).build();
            roll(fn, record, code, Generations.entry(record, FunctionVersions.UPDATE_MODEL, record.getUpdated())
                    .setModelPath(model.path()).setModelDigest(model.digest()).setModelBytes(model.bytes()).build());
            log.info("Updated the model of function={} generation={} path={} bytes={}", name, generation,
                    model.path(), model.bytes());
            return fn.status();
        }
    }

    @Override
    public List<FunctionVersion> versions(String name) {
        synchronized (lock(name)) {
            existing(name);
            return generations.list(name);
        }
    }

    /** A new generation laid out from the target's (hard links), with its settings and model. */
    @Override
    public FunctionStatus rollback(String name, long toVersion) {
        synchronized (lock(name)) {
            LocalFunction fn = existing(name);
            FunctionStatus old = fn.record();
            FunctionVersion target = generations.rollbackTarget(name, toVersion);
            FunctionSpec spec = (target.hasSpec() ? target.getSpec() : old.getSpec()).toBuilder()
                    .setReplicas(old.getReplicas()).build();
            long generation = old.getGeneration() + 1;
            InstalledArtifact code = generations.copy(spec, target.getVersion(), generation, target.getModelPath());
            FunctionStatus record = old.toBuilder().setSpec(spec).setGeneration(generation).setUpdated(now()).build();
            roll(fn, record, code, Generations.entry(record, FunctionVersions.ROLLBACK, record.getUpdated())
                    .setRolledBackTo(target.getVersion()).setModelPath(target.getModelPath())
                    .setModelDigest(target.getModelDigest()).setModelBytes(target.getModelBytes()).build());
            log.info("Rolled back function={} to version={} as generation={}", name, target.getVersion(), generation);
            return fn.status();
        }
    }

    /** Rolls the replicas over to {@code record} and {@code code}; records {@code version} once they run it. */
    private void roll(LocalFunction fn, FunctionStatus record, InstalledArtifact code, FunctionVersion version) {
        try {
            replicaSet.rollOut(fn, record, code);
        } catch (RuntimeException e) {
            generations.discard(fn.name(), record.getGeneration());
            throw e;
        }
        generations.commit(record, version);
    }

    @Override
    public void delete(String name) {
        synchronized (lock(name)) {
            LocalFunction fn = existing(name);
            functions.remove(name);
            replicaSet.stopAll(fn);
            store.delete(name);
            log.info("Deleted function={}", name);
        }
        locks.remove(name);
    }

    @Override
    public FunctionStatus scale(String name, int replicas) {
        synchronized (lock(name)) {
            LocalFunction fn = existing(name);
            FunctionStatus record = fn.record().toBuilder().setReplicas(replicas)
                    .setSpec(ScaleSpecs.pinned(fn.record().getSpec(), replicas)).build();
            store.save(record);
            fn.record(record);
            replicaSet.scaleTo(fn, replicas);
            log.info("Scaled function={} to replicas={}", name, replicas);
            return fn.status();
        }
    }

    @Override
    public void autoscale(String name, int replicas) {
        synchronized (lock(name)) {
            LocalFunction fn = existing(name);
            fn.running(replicas);
            replicaSet.scaleTo(fn, replicas);
        }
    }

    @Override
    public FunctionStatus get(String name) {
        return existing(name).status();
    }

    @Override
    public List<FunctionStatus> list() {
        return functions.values().stream().map(LocalFunction::status)
                        .sorted(Comparator.comparing(s -> s.getSpec().getName())).toList();
    }

    @Override
    public void logs(String name, int tail, boolean follow, LogSink sink, BooleanSupplier cancelled) {
        existing(name);
        LogFiles.stream(store.logDir(name), tail, follow, sink,
                () -> cancelled.getAsBoolean() || !functions.containsKey(name));
    }

    /** Stops every replica (in parallel) and every process of the warm pool, without deleting anything. */
    @Override
    public void close() {
        replicaSet.stopAll(List.copyOf(functions.values()));
        functions.clear();
        pool.close();
        replicaSet.close();
    }

    /** The pids of the warm pool's ready processes of the Java (or Python) watcher; for tests. */
    List<Long> warmPids(boolean java) {
        return pool.readyPids(java);
    }

    private LocalFunction existing(String name) {
        LocalFunction fn = functions.get(name);
        if (fn == null) {
            throw new FunctionNotFoundException(name);
        }
        return fn;
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private static Timestamp now() {
        Instant now = Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
}
